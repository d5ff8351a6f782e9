// ToolLoop: runWithTools, the loop that lets a model use the application's tools.
//
// Each step calls the model with the conversation so far. When it answers with tool calls, the
// loop runs them (several at once when the model asked for several), appends the assistant
// message and one tool message per call, and calls the model again; when it answers without
// tool calls, that answer ends the loop. A tool that fails, overruns its time, is unknown or got
// arguments that do not fit its schema becomes a tool message saying so: the model gets the
// chance to correct itself. A tool without a function is offered to the model but left to the
// caller: an answer that calls one ends the loop with that answer, tool calls included. The
// whole transcript comes back with the final answer.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/host/AgentRuntime.hpp"
#include "agent/host/Export.hpp"
#include "agent/host/Tool.hpp"

namespace agent::host {

/// The answer of ToolLoopOptions::approve for one call.
enum class ToolApproval { Run, Decline };

struct ToolLoopOptions {
  int maxSteps = 8;  // model calls at most
  std::chrono::milliseconds toolTimeout{30000};
  std::optional<std::string> provider;  // as useModel's provider argument
  /// Called as each tool starts and finishes (from the loop's thread), e.g. to show progress.
  std::function<void(const ToolCall&)> onToolStart;
  std::function<void(const ToolCall&, const ToolOutcome&)> onToolResult;
  /// Asked before each call of a tool that has a function and is not read-only (from the loop's
  /// thread, one call at a time); unset runs every call. A declined call does not run: the model
  /// reads a tool message saying the user declined it.
  std::function<ToolApproval(const ToolCall&, const Tool&)> approve;
  /// Asked before each model call for tools offered beside `tools` (e.g. those of MCP servers,
  /// whose lists may change between calls; see agent/host/ProvidedTools.hpp). A tool whose name
  /// `tools` already has is left out.
  std::function<std::vector<Tool>()> moreTools;
};

struct [[nodiscard]] ToolLoopResult {
  /// The final answer (text, no tool calls), or the failure that ended the loop: a model call's
  /// error, Cancelled, or BadResponse when the model still asked for tools after maxSteps.
  ModelResult result = ModelOutput{};
  /// The conversation: the messages the loop started from, then every assistant message and
  /// tool result, and the final assistant answer when there was one.
  std::vector<ChatMessage> transcript;
  int steps = 0;  // model calls made
  CallInfo info;  // which provider served the last model call
};

/// Runs the loop. `params.messages` (or, when empty, params.system and params.prompt) start the
/// conversation; the tools' definitions are sent unless params.tools is already set.
AGENT_HOST_API ToolLoopResult runWithTools(const AgentRuntime& runtime, ModelType type,
                                           GenerateTextParams params,
                                           const std::vector<Tool>& tools,
                                           const ToolLoopOptions& options = {});

}  // namespace agent::host
