#include "agent/host/ToolLoop.hpp"

#include <string>
#include <utility>

#include "ToolEvents.hpp"
#include "ToolRunner.hpp"
#include "TraceIds.hpp"
#include "agent/host/AgentRuntime.hpp"

namespace agent::host {
namespace {

std::vector<ChatMessage> startingMessages(GenerateTextParams& params) {
  if (!params.messages.empty()) return std::move(params.messages);
  std::vector<ChatMessage> messages;
  if (params.system && !params.system->empty()) messages.emplace_back("system", *params.system);
  messages.emplace_back("user", params.prompt);
  return messages;
}

// True when the answer calls a tool the caller offered but runs itself (no function).
bool callsAnUnrunTool(const std::vector<ToolCall>& calls, const std::vector<Tool>& tools) {
  for (const ToolCall& call : calls) {
    for (const Tool& tool : tools) {
      if (tool.definition.name == call.name && !tool.run) return true;
    }
  }
  return false;
}

// What the model reads as the tool's answer: the result, or the error marked as one.
std::string toolMessageText(const ToolOutcome& outcome) {
  return outcome.ok ? outcome.text : "error: " + outcome.text;
}

}  // namespace

ToolLoopResult runWithTools(const AgentRuntime& runtime, ModelType type, GenerateTextParams params,
                            const std::vector<Tool>& tools, const ToolLoopOptions& options) {
  ToolLoopResult loop;
  loop.transcript = startingMessages(params);
  params.system.reset();  // now part of the messages
  params.prompt.clear();
  if (params.tools.empty()) {
    for (const Tool& tool : tools)
      params.tools.push_back(tool.definition);
  }
  if (!params.cancellation) params.cancellation = std::make_shared<CancellationToken>();
  const std::shared_ptr<const CancellationToken> cancellation = params.cancellation;
  // One trace per loop: the loop's span is the parent of its model calls and tool runs.
  params.trace = spanUnder(params.trace);

  while (loop.steps < options.maxSteps) {
    if (cancellation->cancelled()) {
      loop.result = makeError(ErrorKind::Cancelled, "the tool loop was cancelled");
      return loop;
    }
    params.messages = loop.transcript;
    ++loop.steps;
    ModelResult result = runtime.useModel(type, params, options.provider, &loop.info);
    if (!result.ok()) {
      loop.result = std::move(result);
      return loop;
    }
    ModelOutput& output = result.output();
    ChatMessage answer("assistant", output.text);
    answer.toolCalls = output.toolCalls;
    loop.transcript.push_back(answer);
    if (output.toolCalls.empty() || callsAnUnrunTool(output.toolCalls, tools)) {
      loop.result = std::move(result);
      return loop;
    }

    for (const ToolCall& call : output.toolCalls) {
      if (options.onToolStart) options.onToolStart(call);
    }
    ToolRunEvents runEvents(runtime.events(), params.trace, output.toolCalls, tools);
    std::vector<std::chrono::milliseconds> durations;
    const auto outcomes =
        runToolCalls(output.toolCalls, tools, options.toolTimeout, cancellation, &durations);
    runEvents.ended(outcomes, durations);
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      if (options.onToolResult) options.onToolResult(output.toolCalls[i], outcomes[i]);
      ChatMessage message("tool", toolMessageText(outcomes[i]));
      message.toolCallId = output.toolCalls[i].id;
      loop.transcript.push_back(std::move(message));
    }
  }

  loop.result =
      makeError(ErrorKind::BadResponse,
                "the model still asked for tools after " + std::to_string(options.maxSteps) +
                    " steps; raise the step limit or check what the tools answer");
  return loop;
}

}  // namespace agent::host
