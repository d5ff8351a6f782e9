// Deadline: BITROUTER_TIMEOUT_MS, or the caller's own deadline when that is sooner; and the one
// retry rule (RetryPolicy::mayRetry) that turns a failed attempt into another one.
#include "transport/Deadline.hpp"

#include <gtest/gtest.h>

#include "chat/RetryPolicy.hpp"

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;
using Clock = Deadline::Clock;

TEST(Deadline, TheSettingAloneIsTheBudget) {
  const Deadline deadline(300ms);
  EXPECT_EQ(deadline.budget(), 300ms);
  EXPECT_FALSE(deadline.fromCaller());
  EXPECT_FALSE(deadline.expired());
  EXPECT_LE(deadline.remaining(), 300ms);
}

TEST(Deadline, ASoonerCallerDeadlineWins) {
  const Deadline deadline(60s, Clock::now() + 200ms);
  EXPECT_TRUE(deadline.fromCaller());
  EXPECT_LE(deadline.budget(), 200ms);
  EXPECT_GE(deadline.budget(), 150ms);
  EXPECT_LE(deadline.remaining(), 200ms);
}

TEST(Deadline, ALaterCallerDeadlineChangesNothing) {
  const Deadline deadline(300ms, Clock::now() + 60s);
  EXPECT_FALSE(deadline.fromCaller());
  EXPECT_EQ(deadline.budget(), 300ms);
}

TEST(Deadline, ACallerDeadlineInThePastHasExpired) {
  const Deadline deadline(60s, Clock::now() - 1ms);
  EXPECT_TRUE(deadline.fromCaller());
  EXPECT_TRUE(deadline.expired());
  EXPECT_EQ(deadline.remaining(), 0ms);
  EXPECT_EQ(deadline.budget(), 0ms);
}

CallFailure failure(ErrorKind kind, int status, bool sent) {
  CallFailure result = CallFailure::make(kind, "x", {}, status);
  result.requestSent = sent;
  return result;
}

TEST(RetryPolicyMayRetry, ConnectFailuresBeforeSendingAreRetried) {
  EXPECT_TRUE(RetryPolicy::mayRetry(failure(ErrorKind::Unavailable, 0, false)));
  EXPECT_TRUE(RetryPolicy::mayRetry(failure(ErrorKind::Timeout, 0, false)));
}

TEST(RetryPolicyMayRetry, OnlyTheContractsStatusesAreRetried) {
  for (const int status : {429, 502, 503, 504}) {
    const ErrorKind kind = status == 429   ? ErrorKind::RateLimited
                           : status == 504 ? ErrorKind::Timeout
                                           : ErrorKind::Unavailable;
    EXPECT_TRUE(RetryPolicy::mayRetry(failure(kind, status, true))) << status;
  }
  // 500 is retryable for the host's failover, but BitRouter already tried every route.
  EXPECT_FALSE(RetryPolicy::mayRetry(failure(ErrorKind::Unavailable, 500, true)));
}

TEST(RetryPolicyMayRetry, NothingSentIsResentOnceItMayHaveRun) {
  // The deadline passed while waiting for the answer: retryable elsewhere, never resent here.
  EXPECT_FALSE(RetryPolicy::mayRetry(failure(ErrorKind::Timeout, 0, true)));
  // A started stream.
  EXPECT_FALSE(RetryPolicy::mayRetry(failure(ErrorKind::Unavailable, 200, true)));
  CallFailure notRetryable = failure(ErrorKind::Unavailable, 0, false);
  notRetryable.error.retryable = false;
  EXPECT_FALSE(RetryPolicy::mayRetry(notRetryable));
  EXPECT_FALSE(RetryPolicy::mayRetry(failure(ErrorKind::Cancelled, 0, false)));
}

}  // namespace
}  // namespace agent::bitrouter
