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

#include "agent/HostServices.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/support/ThreadSafety.hpp"

namespace agent::host {

class Logger;

/// MODEL_FAILED: a useModel call that ended in an error, emitted by the runtime. elizaOS has no
/// such event; an operator needs it to see failures the agent's code may swallow.
struct ModelFailedEvent {
  std::string provider;                   // the provider tried last; empty when none was found
  ModelType type = ModelType::TextSmall;  // the type whose handler was tried (after fallback)
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  int httpStatus = 0;
  std::string requestId;
  std::chrono::milliseconds duration{0};  // the whole call, failover included
  int attempts = 0;                       // providers tried
};

class EventBus {
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
};

}  // namespace agent::host
