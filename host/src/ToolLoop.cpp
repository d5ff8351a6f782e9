#include "agent/host/ToolLoop.hpp"

#include <optional>
#include <string>
#include <utility>

#include "ToolEvents.hpp"
#include "ToolRunner.hpp"
#include "TraceIds.hpp"
#include "agent/host/AgentRuntime.hpp"
#include "agent/host/EventBus.hpp"

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

// "get_weather (call_1), read_file (call_2)": the calls a step limit left unrun.
std::string describeCalls(const std::vector<ToolCall>& calls) {
  std::string text;
  for (const ToolCall& call : calls) {
    if (!text.empty()) text += ", ";
    text += call.name + " (" + call.id + ")";
  }
  return text;
}

// What the model reads as the tool's answer: the result, or the error marked as one.
std::string toolMessageText(const ToolOutcome& outcome) {
  return outcome.ok ? outcome.text : "error: " + outcome.text;
}

// Asks options.approve about each call that would run a tool able to change something, then runs
// the approved calls; a declined one answers that the user said no. Calls that cannot run at all
// (unknown tool, unusable arguments) are not asked about: the runner explains them.
std::vector<ToolOutcome> runApprovedCalls(
    const std::vector<ToolCall>& calls, const std::vector<TraceContext>& spans,
    const std::vector<Tool>& tools, const ToolLoopOptions& options,
    const std::shared_ptr<const CancellationToken>& cancellation, CallPool& pool,
    std::vector<std::chrono::milliseconds>* durations) {
  if (!options.approve) {
    return runToolCalls(calls, spans, tools, options.toolTimeout, cancellation, pool, durations);
  }
  std::vector<std::optional<ToolOutcome>> declined(calls.size());
  std::vector<ToolCall> approved;
  std::vector<TraceContext> approvedSpans;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Tool* tool = nullptr;
    for (const Tool& candidate : tools) {
      if (candidate.definition.name == calls[i].name) tool = &candidate;
    }
    const bool asks = tool != nullptr && tool->run && !tool->readOnly && calls[i].problem.empty();
    // Once cancelled (e.g. Ctrl-C at the question), nothing more is asked or run.
    if (asks &&
        (cancellation->cancelled() || options.approve(calls[i], *tool) == ToolApproval::Decline)) {
      declined[i] = ToolOutcome::failure("the user declined to run " + calls[i].name +
                                         " with these arguments");
      continue;
    }
    approved.push_back(calls[i]);
    approvedSpans.push_back(spans[i]);
  }
  std::vector<std::chrono::milliseconds> ranDurations;
  std::vector<ToolOutcome> ran = runToolCalls(approved, approvedSpans, tools, options.toolTimeout,
                                              cancellation, pool, &ranDurations);
  std::vector<ToolOutcome> outcomes;
  if (durations != nullptr) durations->clear();
  std::size_t next = 0;
  for (auto& outcome : declined) {
    const bool ranIt = !outcome;
    if (durations != nullptr) {
      durations->push_back(ranIt ? ranDurations[next] : std::chrono::milliseconds(0));
    }
    outcomes.push_back(ranIt ? std::move(ran[next++]) : std::move(*outcome));
  }
  return outcomes;
}

}  // namespace

// The loop itself; runWithTools wraps it in the run's events. `toolRuns` counts the tool calls
// answered.
ToolLoopResult runLoop(const AgentRuntime& runtime, ModelType type, GenerateTextParams params,
                       const std::vector<Tool>& tools, const ToolLoopOptions& options,
                       int& toolRuns) {
  ToolLoopResult loop;
  loop.transcript = startingMessages(params);
  params.system.reset();  // now part of the messages
  params.prompt.clear();
  if (params.tools.empty()) {
    for (const Tool& tool : tools)
      params.tools.push_back(tool.definition);
  }
  const std::vector<ToolDefinition> ownDefinitions = params.tools;
  std::vector<Tool> offered = tools;
  if (!params.cancellation) params.cancellation = std::make_shared<CancellationToken>();
  const std::shared_ptr<const CancellationToken> cancellation = params.cancellation;

  while (loop.steps < options.maxSteps) {
    if (cancellation->cancelled()) {
      loop.result = makeError(ErrorKind::Cancelled, "the tool loop was cancelled");
      return loop;
    }
    if (options.moreTools) {
      offered = withLentTools(tools, options.moreTools());
      params.tools = ownDefinitions;
      for (std::size_t i = tools.size(); i < offered.size(); ++i)
        params.tools.push_back(offered[i].definition);
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
    if (output.toolCalls.empty() || callsAnUnrunTool(output.toolCalls, offered)) {
      loop.result = std::move(result);
      return loop;
    }

    if (loop.steps >= options.maxSteps) {
      // No model call is left to send the results to: running the tools would only do their
      // work (and their harm) for nothing.
      loop.result =
          makeError(ErrorKind::BadResponse,
                    "the model still asked for tools after " + std::to_string(options.maxSteps) +
                        " steps; raise the step limit or check what the tools answer; "
                        "not run: " +
                        describeCalls(output.toolCalls));
      return loop;
    }

    for (const ToolCall& call : output.toolCalls) {
      if (options.onToolStart) options.onToolStart(call);
    }
    ToolRunEvents runEvents(runtime.events(), params.trace, output.toolCalls, offered);
    std::vector<std::chrono::milliseconds> durations;
    const auto outcomes = runApprovedCalls(output.toolCalls, runEvents.spans(), offered, options,
                                           cancellation, ToolPoolAccess::of(runtime), &durations);
    runEvents.ended(outcomes, durations);
    toolRuns += static_cast<int>(outcomes.size());
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

ToolLoopResult runWithTools(const AgentRuntime& runtime, ModelType type, GenerateTextParams params,
                            const std::vector<Tool>& tools, const ToolLoopOptions& options) {
  // One trace per run: the run's span is the parent of its model calls and tool runs.
  params.trace = spanUnder(params.trace);
  EventBus* events = runtime.events();
  const auto started = std::chrono::steady_clock::now();
  RunStartedEvent start;
  if (events != nullptr) {
    start.agent = runtime.agentName();
    start.type = type;
    start.startTime = std::chrono::system_clock::now();
    start.trace = params.trace;
    events->emit(start);
  }
  int toolRuns = 0;
  ToolLoopResult loop = runLoop(runtime, type, std::move(params), tools, options, toolRuns);
  if (events != nullptr) {
    RunEndedEvent end;
    end.agent = std::move(start.agent);
    end.type = type;
    end.startTime = start.startTime;
    end.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    end.steps = loop.steps;
    end.toolRuns = toolRuns;
    end.provider = loop.info.provider;
    if (!loop.result.ok()) {
      end.error = loop.result.error().kind;
      end.errorMessage = loop.result.error().message;
    }
    end.trace = start.trace;
    events->emit(end);
  }
  return loop;
}

}  // namespace agent::host
