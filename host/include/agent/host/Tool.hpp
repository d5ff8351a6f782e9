// Tool: a function the application lends the model, for the tool loop (agent/host/ToolLoop.hpp).
//
//   agent::host::Tool weather{{"get_weather", "Current weather for a city", R"({"type":"object",
//       "properties":{"city":{"type":"string"}},"required":["city"]})"},
//       [](std::string_view arguments, const agent::host::ToolContext&) {
//         return agent::host::ToolOutcome::success(R"({"celsius":21})");
//       }};
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/Cancellation.hpp"
#include "agent/ToolCall.hpp"
#include "agent/TraceContext.hpp"

namespace agent::host {

/// What running a tool produced: a result for the model, or an error it should hear about.
struct [[nodiscard]] ToolOutcome {
  bool ok = true;
  std::string text;  // the result, or one line saying what went wrong

  static ToolOutcome success(std::string result) { return {true, std::move(result)}; }
  static ToolOutcome failure(std::string message) { return {false, std::move(message)}; }
};

/// What a running tool may check: when its time is up, and whether the loop was cancelled; and
/// its span, to forward where its protocol carries one (an MCP server's params._meta).
struct ToolContext {
  std::chrono::steady_clock::time_point deadline;
  std::shared_ptr<const CancellationToken> cancellation;  // never null
  TraceContext trace{};
};

/// Runs a tool. `arguments` is the JSON object text the model wrote, already checked against
/// the tool's parameters schema by the provider. May throw: the loop reports it as a failure.
using ToolFunction = std::function<ToolOutcome(std::string_view arguments, const ToolContext&)>;

struct Tool {
  ToolDefinition definition;  // sent to the model
  ToolFunction run;
  /// The tool only reads (e.g. an MCP tool marked readOnlyHint): it runs without asking first.
  bool readOnly = false;
  std::string source{};  // where it comes from, e.g. the MCP server's name; empty: the application
};

/// The tools offered for one model call: `own`, then each of `lent` (e.g. an MCP server's) whose
/// name is not taken yet. The tool loop and chat's /tools both offer what this returns.
inline std::vector<Tool> withLentTools(std::vector<Tool> own, std::vector<Tool> lent) {
  for (Tool& tool : lent) {
    const bool taken = std::any_of(own.begin(), own.end(), [&tool](const Tool& offered) {
      return offered.definition.name == tool.definition.name;
    });
    if (!taken) own.push_back(std::move(tool));
  }
  return own;
}

}  // namespace agent::host
