// EventBus: delivers MODEL_USED events to subscribers.
//
// A subscriber that throws is logged and skipped; the call that emitted the event is unaffected
// (elizaOS crashes the process in that case; we do not).
//
// The subscriber list is copy-on-write: (un)subscribing builds a new list and swaps it in under
// the lock, so emitting (once per model call) only copies a shared_ptr, and delivers outside the
// lock to the list as it was when the event was emitted.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "agent/HostServices.hpp"
#include "agent/support/ThreadSafety.hpp"

namespace agent::host {

class Logger;

class EventBus {
 public:
  using Subscriber = std::function<void(const ModelUsedEvent&)>;
  using SubscriptionId = std::uint64_t;

  explicit EventBus(Logger& logger);

  SubscriptionId subscribe(Subscriber subscriber) AGENT_EXCLUDES(mutex_);
  void unsubscribe(SubscriptionId id) AGENT_EXCLUDES(mutex_);
  void emit(const ModelUsedEvent& event) noexcept AGENT_EXCLUDES(mutex_);

 private:
  using Subscribers = std::vector<std::pair<SubscriptionId, Subscriber>>;

  Logger& logger_;
  Mutex mutex_;
  std::shared_ptr<const Subscribers> subscribers_ AGENT_GUARDED_BY(mutex_) =
      std::make_shared<const Subscribers>();
  SubscriptionId nextId_ AGENT_GUARDED_BY(mutex_) = 1;
};

}  // namespace agent::host
