#include "agent/host/EventBus.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "agent/host/Logger.hpp"

namespace agent::host {

EventBus::EventBus(Logger& logger) : logger_(logger) {}

EventBus::SubscriptionId EventBus::subscribe(Subscriber subscriber) {
  MutexLock lock(mutex_);
  auto next = std::make_shared<Subscribers>(*subscribers_);
  const SubscriptionId id = nextId_++;
  next->emplace_back(id, std::move(subscriber));
  subscribers_ = std::move(next);
  return id;
}

void EventBus::unsubscribe(SubscriptionId id) {
  MutexLock lock(mutex_);
  auto next = std::make_shared<Subscribers>(*subscribers_);
  std::erase_if(*next, [id](const auto& entry) { return entry.first == id; });
  subscribers_ = std::move(next);
}

void EventBus::emit(const ModelUsedEvent& event) noexcept {
  // Deliver outside the lock: a subscriber may (un)subscribe, or take its time. The snapshot
  // keeps the list (and the subscribers in it) alive until delivery ends.
  std::shared_ptr<const Subscribers> subscribers;
  {
    MutexLock lock(mutex_);
    subscribers = subscribers_;
  }
  for (const auto& [id, subscriber] : *subscribers) {
    try {
      subscriber(event);
    } catch (const std::exception& e) {
      logger_.log(LogLevel::Warn, "events",
                  "MODEL_USED subscriber " + std::to_string(id) + " threw: " + e.what());
    } catch (...) {
      logger_.log(LogLevel::Warn, "events",
                  "MODEL_USED subscriber " + std::to_string(id) + " threw a non-exception");
    }
  }
}

}  // namespace agent::host
