// GenAiSpans: turns the host's events into spans named and attributed as the GenAI semantic
// conventions say (trace/GenAiConventions.hpp): `chat {model}` (CLIENT) for a model call,
// `execute_tool {name}` (INTERNAL) for a tool run, and `invoke_agent {agent}` (INTERNAL: the agent
// runs in this process) for a run of the tool loop, the parent of its model calls and tool runs.
#pragma once

#include "agent/Events.hpp"
#include "trace/SpanData.hpp"

namespace agent::otel {

/// Unix time in nanoseconds of an event's start; an unset start (the epoch) counts back from now.
std::uint64_t startUnixNano(std::chrono::system_clock::time_point start,
                            std::chrono::milliseconds duration);

/// The span of a successful model call; with `captureContent`, the prompt the event carries (at
/// most 200 characters) goes in as gen_ai.input.messages. Ids are left for SpanIds.
SpanData chatSpan(const ModelUsedEvent& event, bool captureContent);

/// The span of a failed model call: status ERROR, error.type the error's kind.
SpanData failedChatSpan(const ModelFailedEvent& event);

/// The span of a finished tool run.
SpanData toolSpan(const ToolEndedEvent& event);

/// The span of a finished run of the tool loop.
SpanData runSpan(const RunEndedEvent& event);

}  // namespace agent::otel
