// ToolRunner: runs the tool calls of one model answer, at once, each under a time limit.
//
// A C++ callable cannot be stopped from outside, so a tool that overruns is reported as timed out
// and left to finish on its own thread (its result is dropped); its ToolContext says when its
// time is up and whether the loop was cancelled, so a well-behaved tool stops by itself.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "agent/Cancellation.hpp"
#include "agent/ToolCall.hpp"
#include "agent/host/Tool.hpp"

namespace agent::host {

/// One outcome per call, in the order of `calls`. With `durations`, also how long each run took
/// (the time limit for one that overran; zero for a call that was refused without running).
std::vector<ToolOutcome> runToolCalls(const std::vector<ToolCall>& calls,
                                      const std::vector<Tool>& tools,
                                      std::chrono::milliseconds timeout,
                                      const std::shared_ptr<const CancellationToken>& cancellation,
                                      std::vector<std::chrono::milliseconds>* durations = nullptr);

}  // namespace agent::host
