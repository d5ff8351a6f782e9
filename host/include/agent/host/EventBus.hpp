// EventBus: delivers MODEL_USED events to subscribers.
//
// A subscriber that throws is logged and skipped; the call that emitted the event is unaffected
// (elizaOS crashes the process in that case; we do not).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "agent/HostServices.hpp"

namespace agent::host {

class Logger;

class EventBus {
 public:
  using Subscriber = std::function<void(const ModelUsedEvent&)>;
  using SubscriptionId = std::uint64_t;

  explicit EventBus(Logger& logger);

  SubscriptionId subscribe(Subscriber subscriber);
  void unsubscribe(SubscriptionId id);
  void emit(const ModelUsedEvent& event) noexcept;

 private:
  Logger& logger_;
  std::mutex mutex_;
  std::vector<std::pair<SubscriptionId, Subscriber>> subscribers_;
  SubscriptionId nextId_ = 1;
};

}  // namespace agent::host
