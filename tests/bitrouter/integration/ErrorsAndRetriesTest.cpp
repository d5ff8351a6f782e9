// BitRouter's error statuses as the plugin meets them over HTTP: the error kind, the status, the
// hint, and exactly how many requests the stand-in received (1 + BITROUTER_MAX_RETRIES for the
// retryable ones, 1 for the rest), including Retry-After waits measured on the stand-in's clock.
#include <ctime>
#include <string>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

// The stand-in's 429 carries Retry-After: 1 by default; this removes it so retries use the
// (near-zero) backoff and the test costs no wall time.
const std::vector<std::pair<std::string, std::string>> kNoRetryAfter{{"retry-after", ""}};

struct StatusCase {
  int status;
  std::optional<std::string> errorCode;
  ErrorKind kind;
  std::string_view hint;  // a piece of the hint the message must carry
};

class ErrorsAndRetriesTest : public BitRouterIntegrationTest {
 protected:
  // Scripts `script` for every attempt, calls TEXT_SMALL and checks the request count.
  ModelResult failWith(const standin::ResponseScript& script, std::size_t expectedRequests) {
    standin().resetRecords();
    standin().scriptRepeated(script, static_cast<int>(expectedRequests) + 2);
    ModelResult result = call(ModelType::TextSmall, "hi");
    EXPECT_EQ(standin().chatRequestCount(), expectedRequests);
    standin().clearScripts();
    return result;
  }
};

TEST_F(ErrorsAndRetriesTest, ClientAndFinalErrorsAreTriedOnce) {
  makeHost();
  const std::vector<StatusCase> cases{
      {400, std::nullopt, ErrorKind::BadRequest, "scripted rejection"},
      {400, "upstream_bad_request", ErrorKind::BadRequest, "upstream rejected the request"},
      {402, std::nullopt, ErrorKind::PaymentRequired, "out of credit"},
      {403, std::nullopt, ErrorKind::Forbidden, "policy"},
      {404, std::nullopt, ErrorKind::NotFound, "gpt-4o-mini"},
      {413, std::nullopt, ErrorKind::BadRequest, "16 MiB"},
      {415, std::nullopt, ErrorKind::BadRequest, "Content-Type"},
      {422, std::nullopt, ErrorKind::BadRequest, "422"},
      {500, std::nullopt, ErrorKind::Unavailable, "internal error"},
      {502, "upstream_bad_gateway", ErrorKind::Unavailable, "upstream provider rejected"},
  };
  for (const StatusCase& c : cases) {
    SCOPED_TRACE(std::to_string(c.status) + " " + c.errorCode.value_or(""));
    const ModelResult result = failWith({.status = c.status, .errorCode = c.errorCode}, 1);
    ASSERT_FALSE(result.ok());
    const ModelError& error = result.error();
    EXPECT_EQ(error.kind, c.kind) << describe(result);
    EXPECT_EQ(error.httpStatus, c.status);
    EXPECT_TRUE(contains(error.message, c.hint)) << error.message;
    EXPECT_TRUE(contains(error.message, "gpt-4o-mini")) << error.message;
    EXPECT_FALSE(contains(error.message, "attempts")) << error.message;
    EXPECT_FALSE(contains(error.message, "\n")) << error.message;
  }
  // A 502 bad gateway means a bad provider key or model upstream: say so to failover too.
  const ModelResult badGateway = failWith({.status = 502, .errorCode = "upstream_bad_gateway"}, 1);
  ASSERT_FALSE(badGateway.ok());
  EXPECT_FALSE(badGateway.error().retryable);
  EXPECT_TRUE(modelUsed().empty());
}

TEST_F(ErrorsAndRetriesTest, RetryableStatusesAreTriedOnePlusMaxRetriesTimes) {
  makeHost();  // BITROUTER_MAX_RETRIES defaults to 2
  const std::vector<StatusCase> cases{
      {429, "upstream_rate_limited", ErrorKind::RateLimited, "retry later"},
      {502, "upstream_invalid_response", ErrorKind::Unavailable, "invalid reply"},
      {503, std::nullopt, ErrorKind::Unavailable, "every upstream route failed"},
      {504, std::nullopt, ErrorKind::Timeout, "timed out"},
  };
  for (const StatusCase& c : cases) {
    SCOPED_TRACE(std::to_string(c.status) + " " + c.errorCode.value_or(""));
    const ModelResult result =
        failWith({.status = c.status, .errorCode = c.errorCode, .headers = kNoRetryAfter}, 3);
    ASSERT_FALSE(result.ok());
    const ModelError& error = result.error();
    EXPECT_EQ(error.kind, c.kind) << describe(result);
    EXPECT_EQ(error.httpStatus, c.status);
    EXPECT_TRUE(error.retryable);
    EXPECT_TRUE(contains(error.message, "after 3 attempts")) << error.message;
    EXPECT_TRUE(contains(error.message, c.hint)) << error.message;
  }
}

TEST_F(ErrorsAndRetriesTest, MaxRetriesSettingBoundsTheAttempts) {
  makeHost({{"BITROUTER_MAX_RETRIES", "0"}});
  const ModelResult once = failWith({.status = 503}, 1);
  ASSERT_FALSE(once.ok());
  EXPECT_EQ(once.error().kind, ErrorKind::Unavailable);

  makeHost({{"BITROUTER_MAX_RETRIES", "4"}});
  const ModelResult five = failWith({.status = 503}, 5);
  ASSERT_FALSE(five.ok());
  EXPECT_TRUE(contains(five.error().message, "after 5 attempts")) << five.error().message;
}

TEST_F(ErrorsAndRetriesTest, RateLimitedThenOkSucceeds) {
  makeHost();
  standin().script({.status = 429, .headers = {{"retry-after", "0"}}});
  const ModelResult result = call(ModelType::TextSmall, "Say hello");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "Stand-in reply from gpt-4o-mini: Say hello");
  EXPECT_EQ(standin().chatRequestCount(), 2u);
  EXPECT_EQ(modelUsed().size(), 1u);  // one event per call, not per attempt
}

TEST_F(ErrorsAndRetriesTest, RetryAfterIsHonouredBeforeTheNextAttempt) {
  makeHost();
  // The stand-in's upstream 429 says "Retry-After: 1".
  standin().script({.status = 429});
  ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  auto chats = chatRequests();
  ASSERT_EQ(chats.size(), 2u);
  EXPECT_GE(chats[1].receivedAt - chats[0].receivedAt, milliseconds(1000))
      << "retried before the server's Retry-After";

  // OpenAI's retry-after-ms is honoured too (and is more precise).
  standin().resetRecords();
  standin().script({.status = 429, .headers = {{"retry-after", ""}, {"retry-after-ms", "300"}}});
  result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  chats = chatRequests();
  ASSERT_EQ(chats.size(), 2u);
  EXPECT_GE(chats[1].receivedAt - chats[0].receivedAt, milliseconds(300));
}

TEST_F(ErrorsAndRetriesTest, RetryAfterAsAnHttpDateIsHonoured) {
  makeHost();
  // Two seconds ahead, at whole-second resolution: at least one second away when it is read.
  const std::time_t when =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) + 2;
  std::tm utc{};
  ::gmtime_r(&when, &utc);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  standin().script({.status = 503, .headers = {{"retry-after", date}}});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  const auto chats = chatRequests();
  ASSERT_EQ(chats.size(), 2u);
  EXPECT_GE(chats[1].receivedAt - chats[0].receivedAt, milliseconds(900)) << date;
}

TEST_F(ErrorsAndRetriesTest, LocalRateLimitWaitBeyondTheDeadlineEndsTheCallAtOnce) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "2000"}});
  standin().scriptRepeated({.status = 429, .errorCode = "rate_limit_exceeded"}, 3);
  const auto start = Clock::now();
  const ModelResult result = call(ModelType::TextSmall, "hi");
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(result.ok());
  const ModelError& error = result.error();
  EXPECT_EQ(error.kind, ErrorKind::RateLimited) << describe(result);
  EXPECT_EQ(error.httpStatus, 429);
  ASSERT_TRUE(error.retryAfter.has_value());
  EXPECT_EQ(*error.retryAfter, milliseconds(60000));
  EXPECT_TRUE(contains(error.message, "BITROUTER_TIMEOUT_MS")) << error.message;
  EXPECT_EQ(standin().chatRequestCount(), 1u);
  // It gave up instead of sleeping into the deadline.
  EXPECT_LT(elapsed, milliseconds(2000));
}

TEST_F(ErrorsAndRetriesTest, TheDeadlineCoversRetriesAndTheirWaits) {
  // Each 503 asks for a 1 s wait; with a 1.5 s budget there is time for one retry, not two.
  makeHost({{"BITROUTER_TIMEOUT_MS", "1500"}});
  standin().scriptRepeated({.status = 503, .headers = {{"retry-after", "1"}}}, 3);
  const auto start = Clock::now();
  const ModelResult result = call(ModelType::TextSmall, "hi");
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable) << describe(result);
  EXPECT_EQ(standin().chatRequestCount(), 2u);
  EXPECT_TRUE(contains(result.error().message, "BITROUTER_TIMEOUT_MS")) << result.error().message;
  EXPECT_LT(elapsed, milliseconds(2500));  // did not sleep the second wait past its deadline
}

TEST_F(ErrorsAndRetriesTest, RequestOverBitRoutersBodyLimitIsABadRequestNotRetried) {
  // BitRouter (and the stand-in) refuse bodies over 16 MiB with a plain-text 413.
  makeHost();
  const ModelResult result = call(ModelType::TextSmall, std::string(17u * 1024u * 1024u, 'a'));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadRequest) << describe(result);
  EXPECT_EQ(result.error().httpStatus, 413);
  EXPECT_EQ(standin().chatRequestCount(), 1u);
  EXPECT_TRUE(contains(result.error().message, "16 MiB")) << result.error().message;
}

TEST_F(ErrorsAndRetriesTest, AuthFailuresExplainTheKeySetting) {
  standin::StandinOptions options = authModeOptions();
  options.revokedKeys = {"brvk_RevokedKey0123456789abcdefghijklmnopqrstuvw"};
  restartStandin(options);

  struct AuthCase {
    std::optional<std::string> key;
    std::string_view serverSays;
    std::string_view hint;
  };
  const std::vector<AuthCase> cases{
      {std::nullopt, "unauthorized: missing API key",
       "set BITROUTER_API_KEY to a brvk_ key or run BitRouter with skip_auth"},
      {"sk-live-NotABitRouterKey0123456789", "credential is not a brvk_ virtual key",
       "BITROUTER_API_KEY was rejected"},
      {"brvk_UnknownKey0123456789abcdefghijklmnopqrstuvw", "unknown API key",
       "BITROUTER_API_KEY was rejected"},
      {"brvk_RevokedKey0123456789abcdefghijklmnopqrstuvw", "API key is inactive",
       "BITROUTER_API_KEY was rejected"},
  };
  for (const AuthCase& c : cases) {
    SCOPED_TRACE(std::string(c.serverSays));
    EnvMap env;
    if (c.key) env["BITROUTER_API_KEY"] = *c.key;
    makeHost(env);
    standin().resetRecords();
    const ModelResult result = call(ModelType::TextSmall, "hi");
    ASSERT_FALSE(result.ok());
    const ModelError& error = result.error();
    EXPECT_EQ(error.kind, ErrorKind::Auth);
    EXPECT_EQ(error.httpStatus, 401);
    EXPECT_FALSE(error.retryable);
    EXPECT_TRUE(contains(error.message, c.serverSays)) << error.message;
    EXPECT_TRUE(contains(error.message, c.hint)) << error.message;
    EXPECT_TRUE(contains(error.message, "skip_auth")) << error.message;
    EXPECT_EQ(standin().chatRequestCount(), 1u);
  }

  makeHost({{"BITROUTER_API_KEY", std::string(kValidKey)}});
  const ModelResult ok = call(ModelType::TextSmall, "hi");
  EXPECT_TRUE(ok.ok()) << describe(ok);
}

TEST_F(ErrorsAndRetriesTest, UnknownModelNamesTheModelAndTheSettingThatChoseIt) {
  makeHost({{"BITROUTER_SMALL_MODEL", "no-such-model"}, {"BITROUTER_MEGA_MODEL", "mega-missing"}});
  struct NotFoundCase {
    ModelType type;
    std::string_view model;
    std::string_view setting;
  };
  for (const NotFoundCase& c :
       {NotFoundCase{ModelType::TextSmall, "no-such-model", "from BITROUTER_SMALL_MODEL"},
        NotFoundCase{ModelType::TextNano, "no-such-model", "from BITROUTER_SMALL_MODEL"},
        NotFoundCase{ModelType::TextMega, "mega-missing", "from BITROUTER_MEGA_MODEL"}}) {
    SCOPED_TRACE(std::string(toString(c.type)));
    standin().resetRecords();
    const ModelResult result = call(c.type, "hi");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::NotFound) << describe(result);
    EXPECT_EQ(result.error().httpStatus, 404);
    EXPECT_TRUE(contains(result.error().message, "'" + std::string(c.model) + "'"))
        << result.error().message;
    EXPECT_TRUE(contains(result.error().message, c.setting)) << result.error().message;
    EXPECT_EQ(standin().chatRequestCount(), 1u);
  }

  // A built-in default the router does not know: the message says which setting to set.
  standin::StandinOptions options;
  options.catalog = {{"gpt-4o-mini", {"openai"}}};
  restartStandin(options);
  makeHost();
  for (const auto& [type, setting] :
       {std::pair{ModelType::TextLarge, "set BITROUTER_LARGE_MODEL"},
        std::pair{ModelType::ActionPlanner, "set BITROUTER_ACTION_PLANNER_MODEL"}}) {
    const ModelResult result = call(type, "hi");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::NotFound) << describe(result);
    EXPECT_TRUE(contains(result.error().message, "'gpt-4o'")) << result.error().message;
    EXPECT_TRUE(contains(result.error().message, "built-in default")) << result.error().message;
    EXPECT_TRUE(contains(result.error().message, setting)) << result.error().message;
  }
}

}  // namespace
}  // namespace agent::bitrouter::integration
