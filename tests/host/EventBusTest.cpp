#include "agent/host/EventBus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <stdexcept>
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
  bus.unsubscribe(id);
  bus.emit(sampleEvent());
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
  bus.emit(sampleEvent());
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
  EXPECT_EQ(late, 0);  // delivery goes to the list as it was when the event was emitted
  bus.emit(sampleEvent());
  EXPECT_EQ(late, 1);
}

TEST(EventBusTest, EmitsFromManyThreadsWhileSubscribersChange) {
  std::ostringstream log;
  Logger logger(log);
  EventBus bus(logger);
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
  EXPECT_EQ(delivered.load(), 4000);  // the first subscriber never left
}

}  // namespace
}  // namespace agent::host
