#include "chat/RetryPolicy.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;

TEST(RetryPolicy, RetryableStatusesFollowTheContract) {
  EXPECT_TRUE(RetryPolicy::isRetryableStatus(429, "upstream_rate_limited"));
  EXPECT_TRUE(RetryPolicy::isRetryableStatus(429, "rate_limit_exceeded"));
  EXPECT_TRUE(RetryPolicy::isRetryableStatus(429, ""));
  EXPECT_TRUE(RetryPolicy::isRetryableStatus(503, "upstream_unavailable"));
  EXPECT_TRUE(RetryPolicy::isRetryableStatus(504, "upstream_timeout"));
  EXPECT_TRUE(RetryPolicy::isRetryableStatus(502, "upstream_invalid_response"));
  EXPECT_FALSE(RetryPolicy::isRetryableStatus(502, "upstream_bad_gateway"));
  EXPECT_FALSE(RetryPolicy::isRetryableStatus(502, ""));
  for (const int status : {400, 401, 402, 403, 404, 413, 415, 422, 500, 200}) {
    EXPECT_FALSE(RetryPolicy::isRetryableStatus(status, "")) << status;
  }
}

TEST(RetryPolicy, ExponentialBackoffWithJitterAndCap) {
  const RetryPolicy policy(5, 250ms, 4000ms);
  EXPECT_EQ(policy.backoff(1, 0.0), 125ms);
  EXPECT_EQ(policy.backoff(1, 1.0), 250ms);
  EXPECT_EQ(policy.backoff(2, 1.0), 500ms);
  EXPECT_EQ(policy.backoff(3, 1.0), 1000ms);
  EXPECT_EQ(policy.backoff(5, 1.0), 4000ms);   // capped
  EXPECT_EQ(policy.backoff(30, 1.0), 4000ms);  // no overflow
  for (int i = 0; i < 200; ++i) {
    const auto wait = policy.backoff(2);
    EXPECT_GE(wait, 250ms);
    EXPECT_LE(wait, 500ms);
  }
  EXPECT_EQ(RetryPolicy(2, 0ms, 4000ms).backoff(3), 0ms);
}

TEST(RetryPolicy, PlanCountsAttemptsAgainstMaxRetries) {
  const RetryPolicy policy(2, 0ms, 0ms);
  EXPECT_TRUE(policy.plan(1, true, std::nullopt, 10s).retry);
  EXPECT_TRUE(policy.plan(2, true, std::nullopt, 10s).retry);
  EXPECT_FALSE(policy.plan(3, true, std::nullopt, 10s).retry);  // 3 attempts = 2 retries
  EXPECT_FALSE(policy.plan(1, false, std::nullopt, 10s).retry);
  EXPECT_FALSE(RetryPolicy(0, 0ms, 0ms).plan(1, true, std::nullopt, 10s).retry);
}

TEST(RetryPolicy, RetryAfterIsHonouredWithinTheDeadline) {
  const RetryPolicy policy(2, 250ms, 4000ms);
  const auto plan = policy.plan(1, true, 3000ms, 10s);
  EXPECT_TRUE(plan.retry);
  EXPECT_EQ(plan.wait, 3000ms);
  const auto tooLate = policy.plan(1, true, 60000ms, 10s);
  EXPECT_FALSE(tooLate.retry);
  EXPECT_TRUE(tooLate.stoppedByDeadline);
}

TEST(RetryPolicy, BaseAboveTheCapRaisesTheCap) {
  EXPECT_EQ(RetryPolicy(2, 5000ms, 4000ms).backoff(1, 1.0), 5000ms);
}

}  // namespace
}  // namespace agent::bitrouter
