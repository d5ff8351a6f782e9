#include "ToolEvents.hpp"

#include "TraceIds.hpp"
#include "agent/host/EventBus.hpp"

namespace agent::host {

ToolRunEvents::ToolRunEvents(EventBus* events, const TraceContext& loop,
                             const std::vector<ToolCall>& calls, const std::vector<Tool>& tools)
    : events_(events) {
  spans_.reserve(calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i)
    spans_.push_back(spanUnder(loop));
  if (events_ == nullptr) return;
  const auto now = std::chrono::system_clock::now();
  started_.reserve(calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const ToolCall& call = calls[i];
    ToolStartedEvent event;
    event.tool = call.name;
    event.callId = call.id;
    for (const Tool& tool : tools) {
      if (tool.definition.name == call.name) event.source = tool.source;
    }
    event.startTime = now;
    event.trace = spans_[i];
    events_->emit(event);
    started_.push_back(std::move(event));
  }
}

void ToolRunEvents::ended(const std::vector<ToolOutcome>& outcomes,
                          const std::vector<std::chrono::milliseconds>& durations) {
  if (events_ == nullptr) return;
  for (std::size_t i = 0; i < started_.size() && i < outcomes.size(); ++i) {
    const ToolStartedEvent& start = started_[i];
    ToolEndedEvent event;
    event.tool = start.tool;
    event.callId = start.callId;
    event.source = start.source;
    event.startTime = start.startTime;
    event.duration = i < durations.size() ? durations[i] : std::chrono::milliseconds(0);
    event.failed = !outcomes[i].ok;
    if (event.failed) event.error = outcomes[i].text;
    event.trace = start.trace;
    events_->emit(event);
  }
}

}  // namespace agent::host
