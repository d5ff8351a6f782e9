// ToolEvents: the ToolStartedEvent and ToolEndedEvent of one batch of tool runs, each run a span
// of its own under the tool loop's span.
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
  /// Emits one ToolStartedEvent per call (nothing when `events` is null).
  ToolRunEvents(EventBus* events, const TraceContext& loop, const std::vector<ToolCall>& calls,
                const std::vector<Tool>& tools);

  /// Emits one ToolEndedEvent per call, from the runs' outcomes and durations (same order).
  void ended(const std::vector<ToolOutcome>& outcomes,
             const std::vector<std::chrono::milliseconds>& durations);

 private:
  EventBus* events_;
  std::vector<ToolStartedEvent> started_;
};

}  // namespace agent::host
