// EventBus: delivers the host's events (MODEL_REGISTERED, MODEL_USED, MODEL_FAILED, tool runs, the
// tool loop's RUN_STARTED and RUN_ENDED) to subscribers and to plugins that observe
// (agent/EventObserver.hpp).
//
// Delivery happens off the emitting thread: emit() puts the event on a bounded queue and returns;
// one dispatcher thread delivers the events in the order they were emitted, in batches at most
// kGatherDelay after the first of a batch was emitted. So a slow or throwing
// handler never delays or breaks a model call. When the queue is full the event is dropped,
// counted (dropped()) and reported by a warning at most every few seconds. A handler that throws
// is logged and the others still run (elizaOS crashes the process in that case; we do not).
//
// The dispatcher starts with the first event that has someone to hear it: a host without
// subscribers or observers queues nothing and starts no thread. MODEL_REGISTERED events are kept
// and replayed to an observer added later, so every observer sees every registration.
//
// unsubscribe() returns once the handler is not running and will never run again (called from the
// handler itself, it returns at once). flush() waits until everything emitted before it has been
// delivered; stop() delivers what is queued and ends the dispatcher (events emitted after it are
// dropped). Handlers must return: stop() and flush() wait for them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <variant>
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

  /// Events that may wait for delivery at once (the AGENT_EVENT_QUEUE_CAPACITY setting).
  static constexpr std::size_t kDefaultQueueCapacity = 1024;
  /// The least time between two warnings about dropped events.
  static constexpr std::chrono::seconds kDropWarningInterval{10};
  /// How long the dispatcher, once woken by an event, gathers more before delivering. Events come
  /// one per call; waking a thread for each one costs a call more than the handlers do (two
  /// context switches), so they are delivered in batches at most this late. flush() and stop()
  /// do not wait for it.
  static constexpr std::chrono::milliseconds kGatherDelay{2};

  explicit EventBus(Logger& logger, std::size_t queueCapacity = kDefaultQueueCapacity);
  /// stop().
  ~EventBus();
  EventBus(const EventBus&) = delete;
  EventBus& operator=(const EventBus&) = delete;

  SubscriptionId subscribe(Subscriber subscriber);
  SubscriptionId subscribeFailures(FailureSubscriber subscriber);
  /// Ends either kind of subscription. On return the handler is not running and never will again.
  void unsubscribe(SubscriptionId id);

  void emit(const ModelUsedEvent& event) noexcept;
  void emit(const ModelFailedEvent& event) noexcept;
  void emit(const ModelRegisteredEvent& event) noexcept;
  void emit(const ToolStartedEvent& event) noexcept;
  void emit(const ToolEndedEvent& event) noexcept;
  void emit(const RunStartedEvent& event) noexcept;
  void emit(const RunEndedEvent& event) noexcept;

  /// A plugin that observes every event; it first receives the registrations made so far.
  void addObserver(std::shared_ptr<EventObserver> observer);
  /// Drops every observer (before the plugins they belong to are destroyed). On return no
  /// observer is running.
  void clearObservers();

  /// Waits until every event emitted before the call has been delivered (or dropped).
  void flush();
  /// Delivers what is queued, then ends the dispatcher; later events are not delivered.
  void stop();

  /// Events dropped because the queue was full, since the bus was made.
  std::uint64_t dropped() const;
  std::size_t queueCapacity() const noexcept { return capacity_; }

 private:
  using Event = std::variant<ModelUsedEvent, ModelFailedEvent, ModelRegisteredEvent,
                             ToolStartedEvent, ToolEndedEvent, RunStartedEvent, RunEndedEvent>;
  struct Delivery {
    Event event;
    std::shared_ptr<EventObserver> only;  // set: a replay meant for this observer alone
  };
  using Subscribers = std::vector<std::pair<SubscriptionId, Subscriber>>;
  using FailureSubscribers = std::vector<std::pair<SubscriptionId, FailureSubscriber>>;
  using Observers = std::vector<std::shared_ptr<EventObserver>>;

  template <class E>
  void enqueue(const E& event, bool forSubscribers) noexcept;
  void enqueueLocked(Delivery delivery);  // mutex_ held
  void run();
  void deliver(const Delivery& delivery);
  template <class E, class Callback>
  void deliverTo(const std::vector<std::pair<SubscriptionId, Callback>>& list, const E& event,
                 const char* name);
  bool beginHandler(SubscriptionId id);
  void endHandler();
  void reportDrops(std::chrono::steady_clock::time_point now);

  Logger& logger_;
  const std::size_t capacity_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;       // the dispatcher: work, or stop
  std::condition_variable delivered_;  // flush, unsubscribe, clearObservers: progress
  std::shared_ptr<const Subscribers> subscribers_ = std::make_shared<const Subscribers>();
  std::shared_ptr<const FailureSubscribers> failureSubscribers_ =
      std::make_shared<const FailureSubscribers>();
  std::shared_ptr<const Observers> observers_ = std::make_shared<const Observers>();
  std::vector<ModelRegisteredEvent> registrations_;  // replayed to observers added later
  SubscriptionId nextId_ = 1;
  std::deque<Delivery> queue_;
  std::uint64_t enqueued_ = 0;    // events queued so far
  std::uint64_t done_ = 0;        // events delivered so far
  SubscriptionId running_ = 0;    // the subscriber being called; 0: none
  bool observing_ = false;        // an observer is being called
  int flushWaiters_ = 0;          // flush() calls waiting: the dispatcher delivers at once
  std::thread::id dispatcherId_;  // the dispatcher thread's id, once started
  std::uint64_t dropped_ = 0;
  std::uint64_t droppedReported_ = 0;
  std::chrono::steady_clock::time_point lastDropWarning_{};
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread dispatcher_;
};

}  // namespace agent::host
