#include "chat/RetryPolicy.hpp"

#include "transport/HttpDate.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

// 2015-10-21 07:28:00 UTC
const Clock::time_point kNow = Clock::from_time_t(1445412480);

TEST(RetryAfter, DeltaSeconds) {
  EXPECT_EQ(RetryPolicy::parseRetryAfter("7", kNow), 7000ms);
  EXPECT_EQ(RetryPolicy::parseRetryAfter(" 60 ", kNow), 60000ms);
  EXPECT_EQ(RetryPolicy::parseRetryAfter("0", kNow), 0ms);
}

TEST(RetryAfter, HttpDates) {
  EXPECT_EQ(RetryPolicy::parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", kNow), 30000ms);
  EXPECT_EQ(RetryPolicy::parseRetryAfter("Wednesday, 21-Oct-15 07:29:00 GMT", kNow), 60000ms);
  EXPECT_EQ(RetryPolicy::parseRetryAfter("Wed Oct 21 07:28:05 2015", kNow), 5000ms);
  // A date in the past means "now".
  EXPECT_EQ(RetryPolicy::parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", kNow), 0ms);
}

TEST(HttpDate, StrictForms) {
  EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), Clock::from_time_t(784111777));
  EXPECT_EQ(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), Clock::from_time_t(784111777));
  EXPECT_EQ(parseHttpDate("Sun Nov  6 08:49:37 1994"), Clock::from_time_t(784111777));
  EXPECT_EQ(parseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), Clock::from_time_t(0));
  EXPECT_EQ(parseHttpDate("Tue, 29 Feb 2028 12:00:00 GMT"), Clock::from_time_t(1835438400));
  for (const char* bad : {"Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT extra",
                          "tomorrow at noon please", ""}) {
    EXPECT_FALSE(parseHttpDate(bad).has_value()) << bad;
  }
}

TEST(HttpDate, DatesThatDoNotExistAreRejected) {
  for (const char* bad :
       {"Sun, 31 Feb 1994 08:49:37 GMT", "Wed, 29 Feb 2027 12:00:00 GMT",
        "Thu, 31 Apr 2026 00:00:00 GMT", "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:60:37 GMT", "Mon, 06 Nov 1994 08:49:37 GMT",  // wrong day name
        "Thursday, 31-Feb-94 08:49:37 GMT", "Sun Feb 31 08:49:37 1994",
        "Sun Nov 31 08:49:37 1994"}) {
    EXPECT_FALSE(parseHttpDate(bad).has_value()) << bad;
  }
  EXPECT_FALSE(RetryPolicy::parseRetryAfter("Sun, 31 Feb 1994 08:49:37 GMT", kNow).has_value());
}

TEST(HttpDate, ObsoleteFormsAreRead) {
  // RFC 850's two-digit year and asctime's space-padded day.
  EXPECT_EQ(parseHttpDate("Wednesday, 21-Oct-15 07:29:00 GMT"), Clock::from_time_t(1445412540));
  EXPECT_EQ(parseHttpDate("Wed Oct 21 07:28:05 2015"), Clock::from_time_t(1445412485));
  EXPECT_EQ(parseHttpDate("Thu Jan  1 00:00:00 1970"), Clock::from_time_t(0));
  EXPECT_FALSE(parseHttpDate("Sun Nov 6 08:49:37 1994").has_value());  // the pad is required
}

TEST(RetryAfter, GarbageIsIgnored) {
  for (const char* value : {"", "soon", "-5", "1.5", "7s", "Wed, 99 Foo 2015 xx:yy:zz GMT",
                            "tomorrow at noon please", "0x10"}) {
    EXPECT_FALSE(RetryPolicy::parseRetryAfter(value, kNow).has_value()) << value;
  }
}

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
