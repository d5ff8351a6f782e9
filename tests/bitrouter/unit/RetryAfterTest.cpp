#include "transport/RetryAfter.hpp"

#include "transport/HttpDate.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

// 2015-10-21 07:28:00 UTC
const Clock::time_point kNow = Clock::from_time_t(1445412480);

TEST(RetryAfter, DeltaSeconds) {
  EXPECT_EQ(parseRetryAfter("7", kNow), 7000ms);
  EXPECT_EQ(parseRetryAfter(" 60 ", kNow), 60000ms);
  EXPECT_EQ(parseRetryAfter("0", kNow), 0ms);
}

TEST(RetryAfter, HttpDates) {
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", kNow), 30000ms);
  EXPECT_EQ(parseRetryAfter("Wednesday, 21-Oct-15 07:29:00 GMT", kNow), 60000ms);
  EXPECT_EQ(parseRetryAfter("Wed Oct 21 07:28:05 2015", kNow), 5000ms);
  // A date in the past means "now".
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", kNow), 0ms);
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
  EXPECT_FALSE(parseRetryAfter("Sun, 31 Feb 1994 08:49:37 GMT", kNow).has_value());
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
    EXPECT_FALSE(parseRetryAfter(value, kNow).has_value()) << value;
  }
}

}  // namespace
}  // namespace agent::bitrouter
