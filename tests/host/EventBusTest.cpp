#include "agent/host/EventBus.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <vector>

#include "agent/host/Logger.hpp"

namespace agent::host {
namespace {

ModelUsedEvent sampleEvent() {
  ModelUsedEvent event;
  event.provider = "echo";
  event.type = ModelType::TextSmall;
  event.model = "echo-1";
  event.tokens = TokenUsage{1, 2, 3, true};
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

}  // namespace
}  // namespace agent::host
