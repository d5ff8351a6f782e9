#include "agent/host/EventBus.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "agent/host/Logger.hpp"

namespace agent::host {

EventBus::EventBus(Logger& logger) : logger_(logger) {}

template <class Callback>
EventBus::SubscriptionId EventBus::add(
    std::shared_ptr<const std::vector<std::pair<SubscriptionId, Callback>>>& list,
    Callback callback) {
  auto next = std::make_shared<std::vector<std::pair<SubscriptionId, Callback>>>(*list);
  const SubscriptionId id = nextId_++;
  next->emplace_back(id, std::move(callback));
  list = std::move(next);
  return id;
}

EventBus::SubscriptionId EventBus::subscribe(Subscriber subscriber) {
  MutexLock lock(mutex_);
  return add(subscribers_, std::move(subscriber));
}

EventBus::SubscriptionId EventBus::subscribeFailures(FailureSubscriber subscriber) {
  MutexLock lock(mutex_);
  return add(failureSubscribers_, std::move(subscriber));
}

void EventBus::unsubscribe(SubscriptionId id) {
  MutexLock lock(mutex_);
  const auto matches = [id](const auto& entry) { return entry.first == id; };
  auto used = std::make_shared<Subscribers>(*subscribers_);
  std::erase_if(*used, matches);
  subscribers_ = std::move(used);
  auto failed = std::make_shared<FailureSubscribers>(*failureSubscribers_);
  std::erase_if(*failed, matches);
  failureSubscribers_ = std::move(failed);
}

template <class Event, class Callback>
void EventBus::deliver(const std::vector<std::pair<SubscriptionId, Callback>>& list,
                       const Event& event, const char* name) noexcept {
  for (const auto& [id, subscriber] : list) {
    try {
      subscriber(event);
    } catch (const std::exception& e) {
      logger_.log(LogLevel::Warn, "events",
                  std::string(name) + " subscriber " + std::to_string(id) + " threw: " + e.what());
    } catch (...) {
      logger_.log(
          LogLevel::Warn, "events",
          std::string(name) + " subscriber " + std::to_string(id) + " threw a non-exception");
    }
  }
}

// Deliver outside the lock: a subscriber may (un)subscribe, or take its time. The snapshot keeps
// the list (and the subscribers in it) alive until delivery ends.
void EventBus::emit(const ModelUsedEvent& event) noexcept {
  std::shared_ptr<const Subscribers> subscribers;
  {
    MutexLock lock(mutex_);
    subscribers = subscribers_;
  }
  deliver(*subscribers, event, "MODEL_USED");
  notifyObservers(event, &EventObserver::onModelUsed);
}

void EventBus::emit(const ModelFailedEvent& event) noexcept {
  std::shared_ptr<const FailureSubscribers> subscribers;
  {
    MutexLock lock(mutex_);
    subscribers = failureSubscribers_;
  }
  deliver(*subscribers, event, "MODEL_FAILED");
  notifyObservers(event, &EventObserver::onModelFailed);
}

void EventBus::emit(const ModelRegisteredEvent& event) noexcept {
  notifyObservers(event, &EventObserver::onModelRegistered);
}

void EventBus::emit(const ToolStartedEvent& event) noexcept {
  notifyObservers(event, &EventObserver::onToolStarted);
}

void EventBus::emit(const ToolEndedEvent& event) noexcept {
  notifyObservers(event, &EventObserver::onToolEnded);
}

void EventBus::addObserver(std::shared_ptr<EventObserver> observer) {
  MutexLock lock(mutex_);
  auto next = std::make_shared<Observers>(*observers_);
  next->push_back(std::move(observer));
  observers_ = std::move(next);
}

void EventBus::clearObservers() {
  MutexLock lock(mutex_);
  observers_ = std::make_shared<const Observers>();
}

template <class Event>
void EventBus::notifyObservers(const Event& event,
                               void (EventObserver::*handler)(const Event&) noexcept) noexcept {
  std::shared_ptr<const Observers> observers;
  {
    MutexLock lock(mutex_);
    observers = observers_;
  }
  for (const auto& observer : *observers)
    ((*observer).*handler)(event);
}

}  // namespace agent::host
