#include "agent/host/EventBus.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>

#include "agent/host/Logger.hpp"

namespace agent::host {
namespace {

constexpr std::string_view kSource = "events";

template <class List>
bool holds(const List& list, EventBus::SubscriptionId id) {
  return std::any_of(list.begin(), list.end(),
                     [id](const auto& entry) { return entry.first == id; });
}

}  // namespace

EventBus::EventBus(Logger& logger, std::size_t queueCapacity)
    : logger_(logger), capacity_(std::max<std::size_t>(queueCapacity, 1)) {}

EventBus::~EventBus() {
  stop();
}

EventBus::SubscriptionId EventBus::subscribe(Subscriber subscriber) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<Subscribers>(*subscribers_);
  const SubscriptionId id = nextId_++;
  next->emplace_back(id, std::move(subscriber));
  subscribers_ = std::move(next);
  return id;
}

EventBus::SubscriptionId EventBus::subscribeFailures(FailureSubscriber subscriber) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<FailureSubscribers>(*failureSubscribers_);
  const SubscriptionId id = nextId_++;
  next->emplace_back(id, std::move(subscriber));
  failureSubscribers_ = std::move(next);
  return id;
}

void EventBus::unsubscribe(SubscriptionId id) {
  std::unique_lock lock(mutex_);
  const auto matches = [id](const auto& entry) { return entry.first == id; };
  if (holds(*subscribers_, id)) {
    auto used = std::make_shared<Subscribers>(*subscribers_);
    std::erase_if(*used, matches);
    subscribers_ = std::move(used);
  }
  if (holds(*failureSubscribers_, id)) {
    auto failed = std::make_shared<FailureSubscribers>(*failureSubscribers_);
    std::erase_if(*failed, matches);
    failureSubscribers_ = std::move(failed);
  }
  // The dispatcher checks membership before each call, so only a call already under way can
  // still run; wait for it, unless it is this very call (a handler unsubscribing itself).
  if (std::this_thread::get_id() == dispatcherId_) return;
  delivered_.wait(lock, [&] { return running_ != id; });
}

template <class E>
void EventBus::enqueue(const E& event, bool forSubscribers) noexcept {
  bool droppedOne = false;
  try {
    std::lock_guard lock(mutex_);
    if constexpr (std::is_same_v<E, ModelRegisteredEvent>) registrations_.push_back(event);
    if (!forSubscribers && observers_->empty()) return;  // nobody listens: nothing to queue
    const std::uint64_t before = dropped_;
    enqueueLocked(Delivery{Event(std::in_place_type<E>, event), nullptr});
    droppedOne = dropped_ != before;
  } catch (...) {
    std::lock_guard lock(mutex_);
    ++dropped_;
    droppedOne = true;
  }
  if (droppedOne) reportDrops(std::chrono::steady_clock::now());
}

void EventBus::enqueueLocked(Delivery delivery) {
  if (stopping_ || stopped_) return;
  // A replay is a handful of registrations owed to a new observer: never dropped.
  if (delivery.only == nullptr && queue_.size() >= capacity_) {
    ++dropped_;
    return;
  }
  const bool wasEmpty = queue_.empty();
  queue_.push_back(std::move(delivery));
  ++enqueued_;
  if (!dispatcher_.joinable()) {
    dispatcher_ = std::thread([this] { run(); });
    dispatcherId_ = dispatcher_.get_id();
  }
  // The first event wakes the dispatcher, which then gathers for kGatherDelay; a queue filling up
  // ends the gathering early, so a burst is not dropped.
  if (wasEmpty || queue_.size() == capacity_ / 2) wake_.notify_one();
}

void EventBus::emit(const ModelUsedEvent& event) noexcept {
  bool listened = false;
  {
    std::lock_guard lock(mutex_);
    listened = !subscribers_->empty();
  }
  enqueue(event, listened);
}

void EventBus::emit(const ModelFailedEvent& event) noexcept {
  bool listened = false;
  {
    std::lock_guard lock(mutex_);
    listened = !failureSubscribers_->empty();
  }
  enqueue(event, listened);
}

void EventBus::emit(const ModelRegisteredEvent& event) noexcept {
  enqueue(event, false);
}
void EventBus::emit(const ToolStartedEvent& event) noexcept {
  enqueue(event, false);
}
void EventBus::emit(const ToolEndedEvent& event) noexcept {
  enqueue(event, false);
}
void EventBus::emit(const RunStartedEvent& event) noexcept {
  enqueue(event, false);
}
void EventBus::emit(const RunEndedEvent& event) noexcept {
  enqueue(event, false);
}

void EventBus::addObserver(std::shared_ptr<EventObserver> observer) {
  if (observer == nullptr) return;
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<Observers>(*observers_);
  next->push_back(observer);
  observers_ = std::move(next);
  // Under the same lock as the list change: the observer gets each registration exactly once,
  // from the replay (made before) or from the queue (made after).
  for (const ModelRegisteredEvent& registration : registrations_) {
    enqueueLocked(
        Delivery{Event(std::in_place_type<ModelRegisteredEvent>, registration), observer});
  }
}

void EventBus::clearObservers() {
  std::unique_lock lock(mutex_);
  observers_ = std::make_shared<const Observers>();
  if (std::this_thread::get_id() == dispatcherId_) return;
  delivered_.wait(lock, [&] { return !observing_; });
}

void EventBus::flush() {
  std::unique_lock lock(mutex_);
  if (std::this_thread::get_id() == dispatcherId_) return;  // would wait for itself
  const std::uint64_t target = enqueued_;
  ++flushWaiters_;
  wake_.notify_one();  // no gathering while someone waits
  delivered_.wait(lock, [&] { return done_ >= target || stopped_; });
  --flushWaiters_;
}

void EventBus::stop() {
  std::thread dispatcher;
  {
    std::lock_guard lock(mutex_);
    if (stopped_ || stopping_) return;
    stopping_ = true;
    if (std::this_thread::get_id() == dispatcherId_) return;  // a handler: the loop ends itself
    dispatcher = std::move(dispatcher_);
  }
  wake_.notify_all();
  if (dispatcher.joinable()) dispatcher.join();
  std::uint64_t unreported = 0;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    unreported = dropped_ - droppedReported_;
    droppedReported_ = dropped_;
  }
  delivered_.notify_all();
  if (unreported > 0) {
    logger_.log(LogLevel::Warn, kSource,
                std::to_string(unreported) + " event(s) dropped since the last report");
  }
}

std::uint64_t EventBus::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void EventBus::reportDrops(std::chrono::steady_clock::time_point now) {
  std::uint64_t count = 0;
  std::uint64_t total = 0;
  {
    std::lock_guard lock(mutex_);
    const bool warnedRecently = lastDropWarning_ != std::chrono::steady_clock::time_point{} &&
                                now - lastDropWarning_ < kDropWarningInterval;
    if (warnedRecently) return;
    count = dropped_ - droppedReported_;
    total = dropped_;
    droppedReported_ = dropped_;
    lastDropWarning_ = now;
  }
  if (count == 0) return;
  logger_.log(LogLevel::Warn, kSource,
              std::to_string(count) + " event(s) dropped (" + std::to_string(total) +
                  " in all): the event queue is full (AGENT_EVENT_QUEUE_CAPACITY=" +
                  std::to_string(capacity_) + "); a subscriber or observer is too slow");
}

void EventBus::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;  // stopping, and everything queued was delivered
    wake_.wait_for(lock, kGatherDelay, [&] {
      return stopping_ || flushWaiters_ > 0 || queue_.size() >= capacity_ / 2;
    });
    while (!queue_.empty()) {
      Delivery delivery = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      deliver(delivery);
      lock.lock();
      ++done_;
      delivered_.notify_all();
    }
  }
}

bool EventBus::beginHandler(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  if (!holds(*subscribers_, id) && !holds(*failureSubscribers_, id)) return false;
  running_ = id;
  return true;
}

void EventBus::endHandler() {
  {
    std::lock_guard lock(mutex_);
    running_ = 0;
  }
  delivered_.notify_all();
}

template <class E, class Callback>
void EventBus::deliverTo(const std::vector<std::pair<SubscriptionId, Callback>>& list,
                         const E& event, const char* name) {
  for (const auto& [id, subscriber] : list) {
    if (!beginHandler(id)) continue;  // unsubscribed since the snapshot
    try {
      subscriber(event);
    } catch (const std::exception& e) {
      logger_.log(LogLevel::Warn, kSource,
                  std::string(name) + " subscriber " + std::to_string(id) + " threw: " + e.what());
    } catch (...) {
      logger_.log(
          LogLevel::Warn, kSource,
          std::string(name) + " subscriber " + std::to_string(id) + " threw a non-exception");
    }
    endHandler();
  }
}

void EventBus::deliver(const Delivery& delivery) {
  std::shared_ptr<const Subscribers> subscribers;
  std::shared_ptr<const FailureSubscribers> failureSubscribers;
  std::shared_ptr<const Observers> observers;
  {
    std::lock_guard lock(mutex_);
    subscribers = subscribers_;
    failureSubscribers = failureSubscribers_;
    observers = observers_;
  }
  if (const auto* used = std::get_if<ModelUsedEvent>(&delivery.event)) {
    deliverTo(*subscribers, *used, "MODEL_USED");
  } else if (const auto* failed = std::get_if<ModelFailedEvent>(&delivery.event)) {
    deliverTo(*failureSubscribers, *failed, "MODEL_FAILED");
  }

  const auto notify = [&delivery](EventObserver& observer) {
    std::visit(
        [&observer](const auto& event) {
          using E = std::decay_t<decltype(event)>;
          if constexpr (std::is_same_v<E, ModelUsedEvent>) observer.onModelUsed(event);
          if constexpr (std::is_same_v<E, ModelFailedEvent>) observer.onModelFailed(event);
          if constexpr (std::is_same_v<E, ModelRegisteredEvent>) observer.onModelRegistered(event);
          if constexpr (std::is_same_v<E, ToolStartedEvent>) observer.onToolStarted(event);
          if constexpr (std::is_same_v<E, ToolEndedEvent>) observer.onToolEnded(event);
          if constexpr (std::is_same_v<E, RunStartedEvent>) observer.onRunStarted(event);
          if constexpr (std::is_same_v<E, RunEndedEvent>) observer.onRunEnded(event);
        },
        delivery.event);
  };
  for (const auto& observer : *observers) {
    if (delivery.only != nullptr && delivery.only != observer) continue;
    {
      // Still attached? clearObservers() waits for a call under way, never for a later one.
      std::lock_guard lock(mutex_);
      if (std::find(observers_->begin(), observers_->end(), observer) == observers_->end())
        continue;
      observing_ = true;
    }
    notify(*observer);
    {
      std::lock_guard lock(mutex_);
      observing_ = false;
    }
    delivered_.notify_all();
  }
}

}  // namespace agent::host
