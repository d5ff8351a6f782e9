// ToolEvents: the spans of one batch of tool runs, each a child of the tool loop's span, and
// their ToolStartedEvent and ToolEndedEvent.
#pragma once

#include <chrono>
#include <vector>

#include "agent/Events.hpp"
#include "agent/ToolCall.hpp"
#include "agent/TraceContext.hpp"
#include "agent/host/Tool.hpp"

namespace agent::host {

class EventBus;

class ToolRunEvents {
 public:
  /// Opens one span per call and emits one ToolStartedEvent per call (none when `events` is
  /// null).
  ToolRunEvents(EventBus* events, const TraceContext& loop, const std::vector<ToolCall>& calls,
                const std::vector<Tool>& tools);

  /// The calls' spans, in the order of the calls (each run forwards its own, e.g. to MCP).
  const std::vector<TraceContext>& spans() const noexcept { return spans_; }

  /// Emits one ToolEndedEvent per call, from the runs' outcomes and durations (same order).
  void ended(const std::vector<ToolOutcome>& outcomes,
             const std::vector<std::chrono::milliseconds>& durations);

 private:
  EventBus* events_;
  std::vector<TraceContext> spans_;
  std::vector<ToolStartedEvent> started_;
};

}  // namespace agent::host
