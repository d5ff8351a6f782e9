// EventBus: delivers MODEL_USED and MODEL_FAILED events to subscribers.
//
// A subscriber that throws is logged and skipped; the call that emitted the event is unaffected
// (elizaOS crashes the process in that case; we do not).
//
// The subscriber list is copy-on-write: (un)subscribing builds a new list and swaps it in under
// the lock, so emitting (once per model call) only copies a shared_ptr, and delivers outside the
// lock to the list as it was when the event was emitted.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agent/EventObserver.hpp"
#include "agent/Events.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/host/Export.hpp"
#include "agent/support/ThreadSafety.hpp"

namespace agent::host {

class Logger;

class AGENT_HOST_API EventBus {
 public:
  using Subscriber = std::function<void(const ModelUsedEvent&)>;
  using FailureSubscriber = std::function<void(const ModelFailedEvent&)>;
  using SubscriptionId = std::uint64_t;

  explicit EventBus(Logger& logger);

  SubscriptionId subscribe(Subscriber subscriber) AGENT_EXCLUDES(mutex_);
  SubscriptionId subscribeFailures(FailureSubscriber subscriber) AGENT_EXCLUDES(mutex_);
  /// Ends either kind of subscription.
  void unsubscribe(SubscriptionId id) AGENT_EXCLUDES(mutex_);
  void emit(const ModelUsedEvent& event) noexcept AGENT_EXCLUDES(mutex_);
  void emit(const ModelFailedEvent& event) noexcept AGENT_EXCLUDES(mutex_);
  void emit(const ModelRegisteredEvent& event) noexcept AGENT_EXCLUDES(mutex_);
  void emit(const ToolStartedEvent& event) noexcept AGENT_EXCLUDES(mutex_);
  void emit(const ToolEndedEvent& event) noexcept AGENT_EXCLUDES(mutex_);

  /// A plugin that observes every event (agent/EventObserver.hpp).
  void addObserver(std::shared_ptr<EventObserver> observer) AGENT_EXCLUDES(mutex_);
  /// Drops every observer (before the plugins they belong to are destroyed).
  void clearObservers() AGENT_EXCLUDES(mutex_);

 private:
  using Subscribers = std::vector<std::pair<SubscriptionId, Subscriber>>;
  using FailureSubscribers = std::vector<std::pair<SubscriptionId, FailureSubscriber>>;

  template <class Callback>
  SubscriptionId add(std::shared_ptr<const std::vector<std::pair<SubscriptionId, Callback>>>& list,
                     Callback callback) AGENT_REQUIRES(mutex_);
  template <class Event, class Callback>
  void deliver(const std::vector<std::pair<SubscriptionId, Callback>>& list, const Event& event,
               const char* name) noexcept;

  Logger& logger_;
  Mutex mutex_;
  std::shared_ptr<const Subscribers> subscribers_ AGENT_GUARDED_BY(mutex_) =
      std::make_shared<const Subscribers>();
  std::shared_ptr<const FailureSubscribers> failureSubscribers_ AGENT_GUARDED_BY(mutex_) =
      std::make_shared<const FailureSubscribers>();
  SubscriptionId nextId_ AGENT_GUARDED_BY(mutex_) = 1;
  using Observers = std::vector<std::shared_ptr<EventObserver>>;
  std::shared_ptr<const Observers> observers_ AGENT_GUARDED_BY(mutex_) =
      std::make_shared<const Observers>();

  template <class Event>
  void notifyObservers(const Event& event,
                       void (EventObserver::*handler)(const Event&) noexcept) noexcept
      AGENT_EXCLUDES(mutex_);
};

}  // namespace agent::host
