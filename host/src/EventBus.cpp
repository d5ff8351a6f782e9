#include "agent/host/EventBus.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "agent/host/Logger.hpp"

namespace agent::host {

EventBus::EventBus(Logger& logger) : logger_(logger) {}

EventBus::SubscriptionId EventBus::subscribe(Subscriber subscriber) {
  std::lock_guard lock(mutex_);
  const SubscriptionId id = nextId_++;
  subscribers_.emplace_back(id, std::move(subscriber));
  return id;
}

void EventBus::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  std::erase_if(subscribers_, [id](const auto& entry) { return entry.first == id; });
}

void EventBus::emit(const ModelUsedEvent& event) noexcept {
  // Deliver outside the lock: a subscriber may (un)subscribe, or take its time.
  std::vector<std::pair<SubscriptionId, Subscriber>> subscribers;
  try {
    std::lock_guard lock(mutex_);
    subscribers = subscribers_;
  } catch (...) {
    logger_.log(LogLevel::Error, "events", "MODEL_USED not delivered: out of memory");
    return;
  }
  for (const auto& [id, subscriber] : subscribers) {
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
