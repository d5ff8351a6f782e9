// ToolRunner: runs the tool calls of one model answer, at once, each under a time limit, on the
// runtime's tool threads.
//
// The threads are a pool the runtime owns (AGENT_MAX_CONCURRENT_TOOLS, default 16): calls beyond
// it wait for a free thread, and the wait counts against their time. A C++ callable cannot be
// stopped from outside, so a tool that overruns is reported as timed out and keeps its thread
// until it returns (its result is dropped); its ToolContext says when its time is up and whether
// the loop was cancelled, so a well-behaved tool stops by itself (it gets 100 ms past its deadline
// to report its own timeout). The runtime's destructor waits for the tool threads. Every outcome
// reaches the model as valid UTF-8: invalid bytes become U+FFFD, and the text says so.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "agent/Cancellation.hpp"
#include "agent/ToolCall.hpp"
#include "agent/TraceContext.hpp"
#include "agent/host/Tool.hpp"

namespace agent::host {

class AgentRuntime;
class CallPool;

/// The runtime's tool pool, which AgentRuntime keeps private.
struct ToolPoolAccess {
  static CallPool& of(const AgentRuntime& runtime);
};

/// The note added to a tool's text whose invalid UTF-8 was replaced.
extern const std::string kRepairedUtf8Note;

/// One outcome per call, in the order of `calls`; `spans` holds each call's span (same order). With
/// `durations`, also how long each run took (the time limit for one that overran; zero for a call
/// that was refused without running).
std::vector<ToolOutcome> runToolCalls(const std::vector<ToolCall>& calls,
                                      const std::vector<TraceContext>& spans,
                                      const std::vector<Tool>& tools,
                                      std::chrono::milliseconds timeout,
                                      const std::shared_ptr<const CancellationToken>& cancellation,
                                      CallPool& pool,
                                      std::vector<std::chrono::milliseconds>* durations = nullptr);

}  // namespace agent::host
