// ToolProvider: the interface a plugin implements to lend the agent tools (an MCP client, say).
//
// Next to ModelProvider: a plugin class may derive from either or both. The host asks for the
// tools before each model call of a tool loop (so a source's changed list is seen at the next
// call), offers them to the model beside the application's own, and routes each call the model
// makes to callTool. Every method is thread-safe, never throws, and reports failures as values.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/Cancellation.hpp"
#include "agent/ToolCall.hpp"
#include "agent/TraceContext.hpp"
#include "agent/detail/ApiVisible.hpp"

namespace agent {

/// One tool on offer.
struct ProvidedTool {
  /// As the model sees it. The name fits `^[A-Za-z0-9_-]{1,64}$` and is unique within the
  /// provider; `parameters` is the tool's JSON Schema as its source wrote it.
  ToolDefinition definition;
  std::string source;        // where it comes from, e.g. the MCP server's name; empty: the plugin
  std::string originalName;  // the tool's name at its source
  bool readOnly = false;     // the source says it changes nothing: the host need not ask first
};

/// The state of one source of tools (an MCP server), for `agent-host mcp list` and warnings.
struct ToolSourceStatus {
  std::string name;
  std::string state;    // "starting", "ready", "failed", "restarting", "stopped"
  std::string detail;   // e.g. "protocol 2025-11-25, server everything 2.0.0"
  std::string problem;  // one line: why it is not ready, with its last log lines; empty when ready
  int toolCount = 0;
};

/// What a tool run may use: its deadline, the loop's cancellation, and its span.
struct ToolCallContext {
  std::chrono::steady_clock::time_point deadline;
  std::shared_ptr<CancellationToken> cancellation;  // may be null
  TraceContext trace;                               // the run's span (forward it, e.g. in _meta)
};

/// What a tool run produced.
struct [[nodiscard]] ToolResult {
  bool isError = false;  // the tool failed; `text` tells the model why
  std::string text;      // what the model reads
  std::string raw;       // the source's whole result as JSON text, when it has one
};

class AGENT_API_VISIBLE ToolProvider {
 public:
  virtual ~ToolProvider() = default;

  /// The tools on offer now. Sources still starting are waited for until `readyBy` at most; one
  /// that is not ready then is left out of this list (and the provider logs why, once).
  virtual std::vector<ProvidedTool> listTools(
      std::chrono::steady_clock::time_point readyBy) noexcept = 0;

  /// Every source the provider knows, ready or not.
  virtual std::vector<ToolSourceStatus> toolSources() noexcept = 0;

  /// Runs the tool `name` (a ProvidedTool's definition.name) with `arguments` (JSON object text).
  /// Ends by context.deadline and promptly on cancellation, as an error result.
  virtual ToolResult callTool(std::string_view name, std::string_view arguments,
                              const ToolCallContext& context) noexcept = 0;
};

}  // namespace agent
