#include "transport/TransportErrorMapper.hpp"

#include <gtest/gtest.h>

#include "chat/RetryPolicy.hpp"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;

class TransportErrorMapperTest : public ::testing::Test {
 protected:
  BaseUrl url = BaseUrl::parse("http://127.0.0.1:4356");
  TransportContext context{url, 10000ms, 300000ms, false};
};

TEST_F(TransportErrorMapperTest, ConnectionRefusedAsksWhetherBitRouterRuns) {
  const CallFailure failure = TransportErrorMapper::map(
      Poco::Net::ConnectionRefusedException("127.0.0.1:4356"), TransportPhase::Send, context);
  EXPECT_TRUE(RetryPolicy::mayRetry(failure));
  EXPECT_FALSE(failure.requestSent);
  EXPECT_EQ(failure.error.kind, ErrorKind::Unavailable);
  CallFailure copy = failure;
  EXPECT_EQ(std::move(copy).finish("gpt-4o-mini", 3).message,
            "cannot connect to BitRouter at http://127.0.0.1:4356 (connection refused) for model "
            "'gpt-4o-mini' after 3 attempts: is BitRouter running at http://127.0.0.1:4356?");
}

TEST_F(TransportErrorMapperTest, ConnectTimeoutVersusDeadline) {
  const CallFailure connect =
      TransportErrorMapper::map(Poco::TimeoutException(), TransportPhase::Send, context);
  EXPECT_EQ(connect.error.kind, ErrorKind::Timeout);
  EXPECT_TRUE(RetryPolicy::mayRetry(connect));
  EXPECT_NE(connect.error.message.find("BITROUTER_CONNECT_TIMEOUT_MS"), std::string::npos);

  TransportContext expired = context;
  expired.deadlineExpired = true;
  const CallFailure deadline =
      TransportErrorMapper::map(Poco::TimeoutException(), TransportPhase::Send, expired);
  EXPECT_FALSE(RetryPolicy::mayRetry(deadline));
  EXPECT_NE(deadline.error.message.find("BITROUTER_TIMEOUT_MS"), std::string::npos);

  const CallFailure waiting =
      TransportErrorMapper::map(Poco::TimeoutException(), TransportPhase::Receive, context);
  EXPECT_EQ(waiting.error.kind, ErrorKind::Timeout);
  EXPECT_FALSE(RetryPolicy::mayRetry(waiting));
}

TEST_F(TransportErrorMapperTest, FailuresAfterSendingAreNotRetried) {
  for (const Poco::Exception* error : std::initializer_list<const Poco::Exception*>{
           new Poco::Net::NoMessageException(), new Poco::Net::ConnectionResetException(),
           new Poco::Net::MessageException("bad status line"), new Poco::IOException("x")}) {
    EXPECT_FALSE(
        RetryPolicy::mayRetry(TransportErrorMapper::map(*error, TransportPhase::Receive, context)))
        << error->displayText();
    delete error;
  }
}

TEST_F(TransportErrorMapperTest, CertificateFailuresAreClearAndFinal) {
  const CallFailure failure = TransportErrorMapper::map(
      Poco::Net::SSLException("error:0A000086:SSL routines::certificate verify failed"),
      TransportPhase::Send, context);
  EXPECT_FALSE(RetryPolicy::mayRetry(failure));
  EXPECT_FALSE(failure.error.retryable);
  EXPECT_NE(failure.error.message.find("TLS certificate verification failed"), std::string::npos);
}

TEST_F(TransportErrorMapperTest, OnlyAFailureWhileSendingLooksStale) {
  // Sending: the server cannot have the whole request, so sending it again is safe.
  EXPECT_TRUE(
      TransportErrorMapper::isStaleConnection(Poco::IOException("pipe"), TransportPhase::Send));
  EXPECT_TRUE(TransportErrorMapper::isStaleConnection(Poco::Net::ConnectionResetException(),
                                                      TransportPhase::Send));
  EXPECT_FALSE(
      TransportErrorMapper::isStaleConnection(Poco::TimeoutException(), TransportPhase::Send));
  EXPECT_FALSE(
      TransportErrorMapper::isStaleConnection(Poco::Net::SSLException("x"), TransportPhase::Send));
  // Receiving: the request was written and may be running (and billing); never replayed.
  for (const Poco::Exception* error : std::initializer_list<const Poco::Exception*>{
           new Poco::Net::NoMessageException(), new Poco::Net::ConnectionResetException(),
           new Poco::Net::ConnectionAbortedException(), new Poco::TimeoutException(),
           new Poco::IOException("x")}) {
    EXPECT_FALSE(TransportErrorMapper::isStaleConnection(*error, TransportPhase::Receive))
        << error->displayText();
    delete error;
  }
}

TEST_F(TransportErrorMapperTest, ClosedWithoutAnAnswerSaysTheRequestMayHaveBeenProcessed) {
  for (const Poco::Exception* error : std::initializer_list<const Poco::Exception*>{
           new Poco::Net::NoMessageException(), new Poco::Net::ConnectionResetException()}) {
    CallFailure failure = TransportErrorMapper::map(*error, TransportPhase::Receive, context);
    EXPECT_EQ(failure.error.kind, ErrorKind::Unavailable) << error->displayText();
    EXPECT_FALSE(RetryPolicy::mayRetry(failure));
    const std::string message = std::move(failure).finish("m", 1).message;
    EXPECT_NE(message.find("the request may have been processed"), std::string::npos) << message;
    EXPECT_NE(message.find("not retried"), std::string::npos) << message;
    delete error;
  }
  CallFailure closed =
      TransportErrorMapper::map(Poco::Net::NoMessageException(), TransportPhase::Receive, context);
  EXPECT_EQ(std::move(closed).finish("gpt-4o-mini", 1).message,
            "BitRouter at http://127.0.0.1:4356 closed the connection without answering (the "
            "request may have been processed) for model 'gpt-4o-mini': not retried, since it may "
            "still complete and bill");
}

}  // namespace
}  // namespace agent::bitrouter
