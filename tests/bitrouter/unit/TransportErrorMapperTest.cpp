#include "transport/TransportErrorMapper.hpp"

#include <gtest/gtest.h>

#include "chat/RetryPolicy.hpp"

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;
using Kind = TransportError::Kind;

class TransportErrorMapperTest : public ::testing::Test {
 protected:
  BaseUrl url = BaseUrl::parse("http://127.0.0.1:4356");
  TransportContext context{url, 10000ms, 300000ms, false};

  CallFailure map(Kind kind, std::string detail = "x") const {
    return TransportErrorMapper::map(TransportError{kind, std::move(detail)}, context);
  }
};

TEST_F(TransportErrorMapperTest, ConnectionRefusedAsksWhetherBitRouterRuns) {
  const CallFailure failure = map(Kind::Refused);
  EXPECT_TRUE(RetryPolicy::mayRetry(failure));
  EXPECT_FALSE(failure.requestSent);
  EXPECT_EQ(failure.error.kind, ErrorKind::Unavailable);
  CallFailure copy = failure;
  EXPECT_EQ(std::move(copy).finish("gpt-4o-mini", 3).message,
            "cannot connect to BitRouter at http://127.0.0.1:4356 (connection refused) for model "
            "'gpt-4o-mini' after 3 attempts: is BitRouter running at http://127.0.0.1:4356?");
}

TEST_F(TransportErrorMapperTest, ConnectTimeoutVersusDeadline) {
  const CallFailure connect = map(Kind::ConnectTimeout);
  EXPECT_EQ(connect.error.kind, ErrorKind::Timeout);
  EXPECT_TRUE(RetryPolicy::mayRetry(connect));
  EXPECT_NE(connect.error.message.find("BITROUTER_CONNECT_TIMEOUT_MS"), std::string::npos);

  TransportContext expired = context;
  expired.deadlineExpired = true;
  const CallFailure deadline =
      TransportErrorMapper::map(TransportError{Kind::ConnectTimeout, ""}, expired);
  EXPECT_FALSE(RetryPolicy::mayRetry(deadline));
  EXPECT_NE(deadline.error.message.find("BITROUTER_TIMEOUT_MS"), std::string::npos);
}

TEST_F(TransportErrorMapperTest, FailuresAfterSendingAreNotRetried) {
  for (const Kind kind : {Kind::NoAnswer, Kind::InvalidResponse, Kind::ReceiveFailed}) {
    EXPECT_FALSE(RetryPolicy::mayRetry(map(kind))) << static_cast<int>(kind);
  }
  EXPECT_EQ(map(Kind::InvalidResponse, "bad chunk").error.message,
            "BitRouter at http://127.0.0.1:4356 sent an invalid HTTP response (bad chunk)");
  EXPECT_EQ(map(Kind::InvalidResponse).error.kind, ErrorKind::BadResponse);
}

TEST_F(TransportErrorMapperTest, CertificateFailuresAreClearAndFinal) {
  const CallFailure failure =
      map(Kind::Certificate, "error:0A000086:SSL routines::certificate verify failed");
  EXPECT_FALSE(RetryPolicy::mayRetry(failure));
  EXPECT_FALSE(failure.error.retryable);
  EXPECT_NE(failure.error.message.find("TLS certificate verification failed"), std::string::npos);
  EXPECT_FALSE(RetryPolicy::mayRetry(map(Kind::Tls)));
}

TEST_F(TransportErrorMapperTest, OnlyAFailureWhileSendingLooksStale) {
  EXPECT_TRUE(TransportErrorMapper::isStaleConnection({Kind::SendFailed, "Broken pipe"}));
  EXPECT_TRUE(RetryPolicy::mayRetry(map(Kind::SendFailed)));
  for (const Kind kind : {Kind::Refused, Kind::ConnectTimeout, Kind::Tls, Kind::NoAnswer,
                          Kind::InvalidResponse, Kind::ReceiveFailed}) {
    EXPECT_FALSE(TransportErrorMapper::isStaleConnection({kind, ""})) << static_cast<int>(kind);
  }
}

TEST_F(TransportErrorMapperTest, ClosedWithoutAnAnswerSaysTheRequestMayHaveBeenProcessed) {
  for (const Kind kind : {Kind::NoAnswer, Kind::ReceiveFailed}) {
    CallFailure failure = map(kind, "Connection reset by peer");
    EXPECT_EQ(failure.error.kind, ErrorKind::Unavailable);
    EXPECT_FALSE(RetryPolicy::mayRetry(failure));
    const std::string message = std::move(failure).finish("m", 1).message;
    EXPECT_NE(message.find("the request may have been processed"), std::string::npos) << message;
    EXPECT_NE(message.find("not retried"), std::string::npos) << message;
  }
  CallFailure closed = map(Kind::NoAnswer);
  EXPECT_EQ(std::move(closed).finish("gpt-4o-mini", 1).message,
            "BitRouter at http://127.0.0.1:4356 closed the connection without answering (the "
            "request may have been processed) for model 'gpt-4o-mini': not retried, since it may "
            "still complete and bill");
}

TEST_F(TransportErrorMapperTest, EachLimitIsNamedForWhatItIs) {
  TransportContext probe = context;
  probe.callTimeout = 2000ms;
  probe.limit = Deadline::Source::Probe;
  const CallFailure failure = TransportErrorMapper::deadline(probe);
  EXPECT_EQ(failure.error.message,
            "no complete response from BitRouter within 2000 ms (the init probe's own limit; "
            "calls have BITROUTER_TIMEOUT_MS)");
  EXPECT_TRUE(failure.hint.empty());
  TransportContext caller = context;
  caller.limit = Deadline::Source::Caller;
  EXPECT_NE(TransportErrorMapper::deadline(caller).error.message.find("the call's own deadline"),
            std::string::npos);
}

}  // namespace
}  // namespace agent::bitrouter
