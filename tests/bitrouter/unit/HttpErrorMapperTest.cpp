#include "chat/HttpErrorMapper.hpp"

#include <gtest/gtest.h>

#include "chat/RetryPolicy.hpp"

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;

class HttpErrorMapperTest : public ::testing::Test {
 protected:
  ModelTiers tiers = ModelTiers::fromSettings(lookupFromMap({{"BITROUTER_LARGE_MODEL", "gpt-5"}}));
  BaseUrl url = BaseUrl::parse("http://127.0.0.1:4356");

  CallFailure map(int status, const std::string& body,
                  std::optional<std::chrono::milliseconds> retryAfter = {}, bool hasKey = false,
                  ModelType type = ModelType::TextLarge) {
    const ErrorContext context{*tiers.find(type), url, hasKey};
    return HttpErrorMapper::fromResponse(status, "Reason", ErrorEnvelopeParser::parse(body),
                                         retryAfter, context);
  }
};

TEST_F(HttpErrorMapperTest, KindsByStatus) {
  EXPECT_EQ(HttpErrorMapper::kindForStatus(400), ErrorKind::BadRequest);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(413), ErrorKind::BadRequest);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(415), ErrorKind::BadRequest);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(422), ErrorKind::BadRequest);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(401), ErrorKind::Auth);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(402), ErrorKind::PaymentRequired);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(403), ErrorKind::Forbidden);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(404), ErrorKind::NotFound);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(429), ErrorKind::RateLimited);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(500), ErrorKind::Unavailable);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(502), ErrorKind::Unavailable);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(503), ErrorKind::Unavailable);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(504), ErrorKind::Timeout);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(418), ErrorKind::BadRequest);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(405), ErrorKind::BadRequest);
  EXPECT_EQ(HttpErrorMapper::kindForStatus(507), ErrorKind::Unavailable);
}

TEST_F(HttpErrorMapperTest, KindsByStreamCode) {
  EXPECT_EQ(HttpErrorMapper::kindForStreamCode("upstream_timeout"), ErrorKind::Timeout);
  EXPECT_EQ(HttpErrorMapper::kindForStreamCode("upstream_rate_limited"), ErrorKind::RateLimited);
  EXPECT_EQ(HttpErrorMapper::kindForStreamCode("rate_limit_exceeded"), ErrorKind::RateLimited);
  EXPECT_EQ(HttpErrorMapper::kindForStreamCode("upstream_bad_gateway"), ErrorKind::Unavailable);
  EXPECT_EQ(HttpErrorMapper::kindForStreamCode("upstream_unavailable"), ErrorKind::Unavailable);
  EXPECT_EQ(HttpErrorMapper::kindForStreamCode("upstream_invalid_response"),
            ErrorKind::Unavailable);
  EXPECT_EQ(HttpErrorMapper::kindForStreamCode("upstream_policy_violation"), ErrorKind::Forbidden);
  EXPECT_EQ(HttpErrorMapper::kindForStreamCode("something_new"), ErrorKind::Unavailable);
  EXPECT_EQ(HttpErrorMapper::kindForStreamCode(""), ErrorKind::Unavailable);
}

TEST_F(HttpErrorMapperTest, RateLimitedMessageFormat) {
  CallFailure failure = map(
      429,
      R"({"error":{"message":"upstream rate limited","type":"rate_limit_error","code":"upstream_rate_limited"}})",
      7s, false, ModelType::TextSmall);
  failure.error.requestId = "1b2c3d";
  EXPECT_TRUE(RetryPolicy::mayRetry(failure));
  const ModelError error = std::move(failure).finish("gpt-4o-mini", 3);
  EXPECT_EQ(error.kind, ErrorKind::RateLimited);
  EXPECT_EQ(error.httpStatus, 429);
  EXPECT_TRUE(error.retryable);
  EXPECT_EQ(error.retryAfter, std::chrono::milliseconds(7000));
  EXPECT_EQ(error.message,
            "BitRouter returned 429 (upstream rate limited) for model 'gpt-4o-mini' after 3 "
            "attempts [request 1b2c3d]: retry after 7 s");
}

TEST_F(HttpErrorMapperTest, UnauthorizedHints) {
  const ModelError noKey =
      map(401,
          R"({"error":{"message":"unauthorized: missing API key","type":"authentication_error","code":"authentication_error"}})")
          .finish("gpt-5", 1);
  EXPECT_EQ(noKey.kind, ErrorKind::Auth);
  EXPECT_NE(noKey.message.find("unauthorized: missing API key"), std::string::npos);
  EXPECT_NE(
      noKey.message.find("set BITROUTER_API_KEY to a brvk_ key or run BitRouter with skip_auth"),
      std::string::npos)
      << noKey.message;
  const ModelError withKey =
      map(401, R"({"error":{"message":"unauthorized: unknown API key"}})", std::nullopt, true)
          .finish("gpt-5", 1);
  EXPECT_NE(withKey.message.find("BITROUTER_API_KEY was rejected"), std::string::npos);
  EXPECT_FALSE(RetryPolicy::mayRetry(map(401, "")));
}

TEST_F(HttpErrorMapperTest, NotFoundNamesTheModelAndItsSetting) {
  const ModelError error =
      map(404,
          R"({"error":{"message":"not found: no active provider declares model 'gpt-5'","type":"not_found_error","code":"not_found"}})")
          .finish("gpt-5", 1);
  EXPECT_EQ(error.kind, ErrorKind::NotFound);
  EXPECT_NE(error.message.find("model 'gpt-5' (from BITROUTER_LARGE_MODEL) is not served"),
            std::string::npos)
      << error.message;
}

TEST_F(HttpErrorMapperTest, NotFoundWithEmptyBodyPointsAtTheBaseUrl) {
  const ModelError error = map(404, "").finish("gpt-5", 1);
  EXPECT_EQ(error.message,
            "BitRouter returned 404 (Reason) for model 'gpt-5': BitRouter has no "
            "/v1/chat/completions route; check BITROUTER_BASE_URL (http://127.0.0.1:4356)");
}

TEST_F(HttpErrorMapperTest, PlainTextBodies) {
  const ModelError tooLarge =
      map(413, "Failed to buffer the request body: length limit exceeded").finish("m", 1);
  EXPECT_EQ(tooLarge.kind, ErrorKind::BadRequest);
  EXPECT_NE(tooLarge.message.find("(Failed to buffer the request body: length limit exceeded)"),
            std::string::npos);
  EXPECT_NE(tooLarge.message.find("16 MiB"), std::string::npos);
  const ModelError unsupported =
      map(415, "Expected request with `Content-Type: application/json`").finish("m", 1);
  EXPECT_EQ(unsupported.kind, ErrorKind::BadRequest);
}

TEST_F(HttpErrorMapperTest, RetryClassificationFollowsTheContract) {
  EXPECT_TRUE(RetryPolicy::mayRetry(
      map(429, R"({"error":{"code":"rate_limit_exceeded","message":"rate limited"}})")));
  EXPECT_TRUE(RetryPolicy::mayRetry(
      map(503, R"({"error":{"code":"upstream_unavailable","message":"upstream unavailable"}})")));
  EXPECT_TRUE(RetryPolicy::mayRetry(
      map(504, R"({"error":{"code":"upstream_timeout","message":"upstream timeout"}})")));
  EXPECT_TRUE(RetryPolicy::mayRetry(
      map(502, R"({"error":{"code":"upstream_invalid_response","message":"x"}})")));
  const CallFailure badGateway =
      map(502, R"({"error":{"code":"upstream_bad_gateway","message":"upstream request failed"}})");
  EXPECT_FALSE(RetryPolicy::mayRetry(badGateway));
  EXPECT_FALSE(badGateway.error.retryable);
  for (const int status : {400, 401, 402, 403, 404, 413, 415, 422, 500}) {
    EXPECT_FALSE(RetryPolicy::mayRetry(map(status, R"({"error":{"message":"x"}})"))) << status;
  }
}

TEST_F(HttpErrorMapperTest, EveryCommonStatusHasAHint) {
  for (const int status : {401, 402, 403, 404, 413, 415, 429, 500, 502, 503, 504}) {
    EXPECT_FALSE(map(status, R"({"error":{"message":"m"}})").hint.empty()) << status;
  }
  EXPECT_NE(
      map(403,
          R"({"error":{"message":"upstream content policy violation","code":"upstream_policy_violation"}})")
          .hint.find("content"),
      std::string::npos);
}

TEST_F(HttpErrorMapperTest, NoMessageFallsBackToTheReasonPhrase) {
  EXPECT_EQ(map(503, "").error.message, "BitRouter returned 503 (Reason)");
}

TEST_F(HttpErrorMapperTest, StreamErrorFrame) {
  ErrorEnvelope envelope;
  envelope.message = "upstream timeout";
  envelope.code = "upstream_timeout";
  CallFailure failure = HttpErrorMapper::fromStreamError(envelope, 37);
  EXPECT_FALSE(RetryPolicy::mayRetry(failure));
  failure.error.requestId = "r1";
  const ModelError error = std::move(failure).finish("m", 1);
  EXPECT_EQ(error.kind, ErrorKind::Timeout);
  EXPECT_EQ(error.message,
            "BitRouter stream failed after 37 characters (upstream timeout, code upstream_timeout) "
            "for model 'm' [request r1]: a stream that has started is not retried; retry the call");
}

TEST_F(HttpErrorMapperTest, GoogleStyleStatusWordsMapToTheirKinds) {
  // Gemini-style upstreams put a number in "code" and the meaning in "status".
  const auto google = [](int code, const std::string& status) {
    return R"({"error":{"code":)" + std::to_string(code) + R"(,"message":"m","status":")" + status +
           R"("}})";
  };
  const std::pair<const char*, ErrorKind> words[] = {
      {"RESOURCE_EXHAUSTED", ErrorKind::RateLimited}, {"UNAVAILABLE", ErrorKind::Unavailable},
      {"DEADLINE_EXCEEDED", ErrorKind::Timeout},      {"PERMISSION_DENIED", ErrorKind::Forbidden},
      {"UNAUTHENTICATED", ErrorKind::Auth},           {"NOT_FOUND", ErrorKind::NotFound},
      {"INVALID_ARGUMENT", ErrorKind::BadRequest},    {"INTERNAL", ErrorKind::Unavailable},
  };
  for (const auto& [word, kind] : words) {
    // Passed through in a 400, or as a mid-stream frame whose number says something else.
    EXPECT_EQ(map(400, google(400, word)).error.kind, kind) << word;
    EXPECT_EQ(HttpErrorMapper::kindForStreamError(ErrorEnvelopeParser::parse(google(500, word))),
              kind)
        << word;
    // In a plain string code too, in any case.
    EXPECT_EQ(HttpErrorMapper::kindForWord(std::string(word)), kind) << word;
  }
  EXPECT_EQ(ErrorEnvelopeParser::parse(google(429, "RESOURCE_EXHAUSTED")).statusWord,
            "RESOURCE_EXHAUSTED");
  // A specific HTTP status is not overridden by a word; a status of digits is no word.
  EXPECT_EQ(map(401, google(401, "RESOURCE_EXHAUSTED")).error.kind, ErrorKind::Auth);
  EXPECT_EQ(ErrorEnvelopeParser::parse(R"({"error":{"status":"503"}})").statusWord, "");
  // The 400 keeps its status, so it is still not retried: BitRouter already tried every route.
  EXPECT_FALSE(RetryPolicy::mayRetry(map(400, google(429, "RESOURCE_EXHAUSTED"))));
}

TEST(CallFailure, FinishOmitsWhatIsUnknown) {
  CallFailure failure = CallFailure::make(ErrorKind::Unavailable, "cannot connect");
  failure.error.requestId = "id";  // no HTTP status: BitRouter never saw it, so not shown
  EXPECT_EQ(std::move(failure).finish("m", 1).message, "cannot connect for model 'm'");
}

}  // namespace
}  // namespace agent::bitrouter
