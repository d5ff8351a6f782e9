#include "agent/host/EventBus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "agent/host/Logger.hpp"

namespace agent::host {
namespace {

ModelUsedEvent sampleEvent() {
  ModelUsedEvent event;
  event.provider = "echo";
  event.type = ModelType::TextSmall;
  event.model = "echo-1";
  event.tokens.promptTokens = 1;
  event.tokens.completionTokens = 2;
  event.tokens.totalTokens = 3;
  event.tokens.estimated = true;
  return event;
}

TEST(EventBusTest, DeliversToEverySubscriberInOrder) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger);
  std::vector<std::string> seen;
  bus.subscribe([&seen](const ModelUsedEvent& e) { seen.push_back("a:" + e.provider); });
  bus.subscribe([&seen](const ModelUsedEvent& e) { seen.push_back("b:" + e.model); });
  bus.emit(sampleEvent());
  bus.flush();
  EXPECT_EQ(seen, (std::vector<std::string>{"a:echo", "b:echo-1"}));
}

TEST(EventBusTest, ThrowingSubscriberIsLoggedAndOthersStillRun) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger);
  int after = 0;
  bus.subscribe([](const ModelUsedEvent&) { throw std::runtime_error("subscriber broke"); });
  bus.subscribe([](const ModelUsedEvent&) { throw 42; });
  bus.subscribe([&after](const ModelUsedEvent&) { ++after; });
  EXPECT_NO_THROW(bus.emit(sampleEvent()));
  bus.flush();
  EXPECT_EQ(after, 1);
  EXPECT_NE(log.str().find("subscriber broke"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("non-exception"), std::string::npos) << log.str();
}

TEST(EventBusTest, UnsubscribeStopsDelivery) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger);
  int count = 0;
  const auto id = bus.subscribe([&count](const ModelUsedEvent&) { ++count; });
  bus.emit(sampleEvent());
  bus.flush();
  bus.unsubscribe(id);
  bus.emit(sampleEvent());
  bus.flush();
  EXPECT_EQ(count, 1);
}

TEST(EventBusTest, SubscriberMayUnsubscribeItselfDuringDelivery) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger);
  int count = 0;
  EventBus::SubscriptionId id = 0;
  id = bus.subscribe([&](const ModelUsedEvent&) {
    ++count;
    bus.unsubscribe(id);
  });
  bus.emit(sampleEvent());
  bus.flush();
  bus.emit(sampleEvent());
  bus.flush();
  EXPECT_EQ(count, 1);
}

TEST(EventBusTest, SubscribingDuringDeliveryTakesEffectFromTheNextEvent) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger);
  int late = 0;
  bool subscribed = false;
  bus.subscribe([&](const ModelUsedEvent&) {
    if (subscribed) return;
    subscribed = true;
    bus.subscribe([&late](const ModelUsedEvent&) { ++late; });
  });
  bus.emit(sampleEvent());
  bus.flush();
  EXPECT_EQ(late, 0);  // delivery goes to the list as it was when the event was delivered
  bus.emit(sampleEvent());
  bus.flush();
  EXPECT_EQ(late, 1);
}

TEST(EventBusTest, EmitsFromManyThreadsWhileSubscribersChange) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger, 8192);  // room for every event: this test is about threads, not drops
  std::atomic<int> delivered = 0;
  bus.subscribe([&delivered](const ModelUsedEvent&) { ++delivered; });
  std::vector<std::thread> emitters;
  for (int t = 0; t < 4; ++t) {
    emitters.emplace_back([&bus] {
      for (int i = 0; i < 1000; ++i)
        bus.emit(sampleEvent());
    });
  }
  for (int i = 0; i < 200; ++i)
    bus.unsubscribe(bus.subscribe([](const ModelUsedEvent&) {}));
  for (auto& emitter : emitters)
    emitter.join();
  bus.flush();
  EXPECT_EQ(delivered.load(), 4000);  // the first subscriber never left
  EXPECT_EQ(bus.dropped(), 0u);
}

TEST(EventBusTest, DeliveryHappensOffTheEmittingThreadInOrder) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger);
  const auto caller = std::this_thread::get_id();
  std::vector<std::string> seen;
  bool offThread = true;
  bus.subscribe([&](const ModelUsedEvent& e) {
    offThread &= std::this_thread::get_id() != caller;
    seen.push_back(e.model);
  });
  for (int i = 0; i < 100; ++i) {
    ModelUsedEvent event = sampleEvent();
    event.model = std::to_string(i);
    bus.emit(event);
  }
  bus.flush();
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(seen[static_cast<std::size_t>(i)], std::to_string(i));
  EXPECT_TRUE(offThread);
}

TEST(EventBusTest, ABusNobodyListensToQueuesNothingAndStartsNoThread) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger, 1);
  for (int i = 0; i < 10; ++i)
    bus.emit(sampleEvent());
  EXPECT_EQ(bus.dropped(), 0u);  // not queued, so not dropped either
}

TEST(EventBusTest, UnsubscribeWaitsForARunningHandlerThatThenNeverRunsAgain) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger);
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool release = false;
  std::atomic<bool> running = false;
  std::atomic<int> calls = 0;
  const auto id = bus.subscribe([&](const ModelUsedEvent&) {
    running = true;
    ++calls;
    std::unique_lock lock(mutex);
    entered = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release; });
    running = false;
  });
  bus.emit(sampleEvent());
  bus.emit(sampleEvent());  // queued behind the blocked one: must never reach the handler
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return entered; });
  }
  std::atomic<bool> returned = false;
  std::thread unsubscriber([&] {
    bus.unsubscribe(id);
    EXPECT_FALSE(running.load());  // on return the handler is not running
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(returned.load());  // still blocked in the handler: unsubscribe waits
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  unsubscriber.join();
  EXPECT_TRUE(returned.load());
  bus.emit(sampleEvent());
  bus.flush();
  EXPECT_EQ(calls.load(), 1);
}

TEST(EventBusTest, AFullQueueDropsCountsAndWarnsOnce) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger, 2);
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool release = false;
  bus.subscribe([&](const ModelUsedEvent&) {
    std::unique_lock lock(mutex);
    entered = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release; });
  });
  bus.emit(sampleEvent());
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return entered; });
  }
  for (int i = 0; i < 10; ++i)
    bus.emit(sampleEvent());  // 2 wait, 8 are dropped
  EXPECT_EQ(bus.dropped(), 8u);
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  bus.stop();
  const std::string text = log.str();
  EXPECT_NE(text.find("1 event(s) dropped (1 in all)"), std::string::npos) << text;
  EXPECT_NE(text.find("7 event(s) dropped since the last report"), std::string::npos) << text;
}

TEST(EventBusTest, StopDeliversWhatIsQueuedAndLaterEventsAreNotDelivered) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger);
  std::atomic<int> count = 0;
  bus.subscribe([&count](const ModelUsedEvent&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ++count;
  });
  for (int i = 0; i < 20; ++i)
    bus.emit(sampleEvent());
  bus.stop();
  EXPECT_EQ(count.load(), 20);
  bus.emit(sampleEvent());
  bus.flush();
  EXPECT_EQ(count.load(), 20);
}

}  // namespace
}  // namespace agent::host
