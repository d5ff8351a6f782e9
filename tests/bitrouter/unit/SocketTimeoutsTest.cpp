#include "transport/SocketTimeouts.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;

TEST(SocketTimeouts, ToleranceIsOnePercentBetweenOneAndFiftyMilliseconds) {
  EXPECT_FALSE(SocketTimeouts::closeEnough(-1ms, 100ms));  // unknown: always set
  EXPECT_TRUE(SocketTimeouts::closeEnough(300000ms, 299960ms));
  EXPECT_FALSE(SocketTimeouts::closeEnough(300000ms, 299940ms));  // capped at 50 ms
  EXPECT_TRUE(SocketTimeouts::closeEnough(1000ms, 991ms));
  EXPECT_FALSE(SocketTimeouts::closeEnough(1000ms, 985ms));
  EXPECT_TRUE(SocketTimeouts::closeEnough(50ms, 49ms));  // at least 1 ms
  EXPECT_FALSE(SocketTimeouts::closeEnough(50ms, 48ms));
}

TEST(SocketTimeouts, NeverZero) {
  EXPECT_EQ(SocketTimeouts::timespan(0ms).totalMicroseconds(), 1000);
  EXPECT_EQ(SocketTimeouts::timespan(-5ms).totalMicroseconds(), 1000);
  EXPECT_EQ(SocketTimeouts::timespan(250ms).totalMicroseconds(), 250000);
}

}  // namespace
}  // namespace agent::bitrouter
