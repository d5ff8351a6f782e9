// EventObserver: the events a plugin can receive, as elizaOS plugins do through Plugin.events.
//
// A plugin class that also derives from EventObserver gets every event the host emits. The host
// delivers them on its own thread, in order, through a bounded queue: a slow observer never delays
// a call (when the queue is full, events are dropped, counted and reported), and a handler must not
// throw. After the plugin is destroyed nothing is delivered to it. Override what you need.
#pragma once

#include "agent/Events.hpp"
#include "agent/detail/ApiVisible.hpp"

namespace agent {

class AGENT_API_VISIBLE EventObserver {
 public:
  virtual ~EventObserver() = default;

  virtual void onModelRegistered(const ModelRegisteredEvent&) noexcept {}
  virtual void onModelUsed(const ModelUsedEvent&) noexcept {}
  virtual void onModelFailed(const ModelFailedEvent&) noexcept {}
  virtual void onToolStarted(const ToolStartedEvent&) noexcept {}
  virtual void onToolEnded(const ToolEndedEvent&) noexcept {}
  virtual void onRunStarted(const RunStartedEvent&) noexcept {}
  virtual void onRunEnded(const RunEndedEvent&) noexcept {}
};

}  // namespace agent
