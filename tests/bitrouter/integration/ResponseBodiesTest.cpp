// Odd bodies on the wire: malformed or empty 200s, null content, missing usage, HTML and garbage
// on error statuses, and bodies larger than BITROUTER_MAX_RESPONSE_BYTES.
#include <string>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

using ResponseBodiesTest = BitRouterIntegrationTest;

std::int64_t quarterRoundedUp(std::size_t chars) {
  return static_cast<std::int64_t>((chars + 3) / 4);
}

TEST_F(ResponseBodiesTest, MalformedJsonOn200IsABadResponseAndNotRetried) {
  makeHost();
  standin().scriptRepeated({.body = R"({"id":"x","object":"chat.completion","choices":[{"mess)"},
                           3);
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse) << describe(result);
  EXPECT_EQ(result.error().httpStatus, 200);
  EXPECT_TRUE(contains(result.error().message, "malformed JSON")) << result.error().message;
  EXPECT_EQ(standin().chatRequestCount(), 1u);
  EXPECT_TRUE(modelUsed().empty());
}

TEST_F(ResponseBodiesTest, EmptyChoicesIsABadResponse) {
  makeHost();
  standin().script({.emptyChoices = true});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse) << describe(result);
  EXPECT_TRUE(contains(result.error().message, "no choices")) << result.error().message;
  EXPECT_EQ(standin().chatRequestCount(), 1u);
}

TEST_F(ResponseBodiesTest, NullContentIsAnEmptyString) {
  makeHost();
  standin().script({.nullContent = true});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "");
  EXPECT_EQ(result.output().finishReason, "stop");
  EXPECT_EQ(modelUsed().size(), 1u);
}

TEST_F(ResponseBodiesTest, ContentPartsAreJoined) {
  makeHost();
  standin().script({.body = R"({"id":"r","object":"chat.completion","model":"gpt-4o-mini",
      "choices":[{"index":0,"message":{"role":"assistant","content":[
        {"type":"text","text":"Hello, "},{"type":"image_url","image_url":{"url":"x"}},
        {"type":"text","text":"parts"}]},"finish_reason":"stop"}],
      "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})"});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "Hello, parts");
  EXPECT_EQ(result.output().usage.totalTokens, 5);
  EXPECT_FALSE(result.output().usage.estimated);
}

TEST_F(ResponseBodiesTest, FinishReasonIsPassedThrough) {
  makeHost();
  standin().script({.finishReason = "length"});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().finishReason, "length");
}

TEST_F(ResponseBodiesTest, MissingUsageIsEstimatedInModelUsed) {
  makeHost();
  standin().script({.content = "twelve chars", .omitUsage = true});
  GenerateTextParams params = withPrompt("a prompt of 22 chars..");
  params.system = "sys";
  const ModelResult result = call(ModelType::TextLarge, params);
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_TRUE(result.output().usage.estimated);

  const auto events = modelUsed();
  ASSERT_EQ(events.size(), 1u);
  const TokenUsage& tokens = events[0].tokens;
  EXPECT_TRUE(tokens.estimated);
  EXPECT_EQ(tokens.promptTokens, quarterRoundedUp(std::string("sys").size() + 22));
  EXPECT_EQ(tokens.completionTokens, quarterRoundedUp(12));
  EXPECT_EQ(tokens.totalTokens, tokens.promptTokens + tokens.completionTokens);
}

TEST_F(ResponseBodiesTest, HtmlAndGarbageOnErrorStatusesGiveOneLineErrors) {
  makeHost();
  struct BodyCase {
    int status;
    std::string body;
    std::string contentType;
    ErrorKind kind;
    std::size_t requests;
    std::string_view says;
  };
  const std::vector<BodyCase> cases{
      {503,
       "<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>\n"
       "<center><h1>503 Service Temporarily Unavailable</h1></center>\n</body>\n</html>\n",
       "text/html", ErrorKind::Unavailable, 3, "503"},
      {502, "<html><body>Bad Gateway</body></html>", "text/html", ErrorKind::Unavailable, 1,
       "Bad Gateway"},
      {401, std::string("\x01\x02\xff garbage \r\n more"), "application/octet-stream",
       ErrorKind::Auth, 1, "garbage"},
      {500, "", "text/plain", ErrorKind::Unavailable, 1, "500"},
      {400, R"({"detail":"temperature too high"})", "application/json", ErrorKind::BadRequest, 1,
       "temperature too high"},
      {400, R"({"error":"bad temperature"})", "application/json", ErrorKind::BadRequest, 1,
       "bad temperature"},
  };
  for (const BodyCase& c : cases) {
    SCOPED_TRACE(std::to_string(c.status) + " " + c.contentType);
    standin().resetRecords();
    standin().scriptRepeated({.status = c.status, .body = c.body, .contentType = c.contentType},
                             static_cast<int>(c.requests));
    const ModelResult result = call(ModelType::TextSmall, "hi");
    standin().clearScripts();
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, c.kind) << describe(result);
    EXPECT_EQ(result.error().httpStatus, c.status);
    EXPECT_EQ(standin().chatRequestCount(), c.requests);
    EXPECT_TRUE(contains(result.error().message, c.says)) << result.error().message;
    EXPECT_FALSE(contains(result.error().message, "\n")) << result.error().message;
    EXPECT_FALSE(contains(result.error().message, "\r")) << result.error().message;
  }
}

TEST_F(ResponseBodiesTest, AHugeErrorBodyIsCutToAShortMessage) {
  makeHost();
  standin().script({.status = 500, .body = std::string(200 * 1024, 'x')});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable);
  EXPECT_LT(result.error().message.size(), 2000u);
  // The connection is still usable (or replaced): the next call works.
  const ModelResult next = call(ModelType::TextSmall, "again");
  EXPECT_TRUE(next.ok()) << describe(next);
}

TEST_F(ResponseBodiesTest, BodyOverTheLimitIsABadResponse) {
  makeHost({{"BITROUTER_MAX_RESPONSE_BYTES", "2048"}});
  standin().scriptRepeated({.bodyPadBytes = 4096}, 3);
  const ModelResult result = call(ModelType::TextSmall, "hi");
  standin().clearScripts();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse) << describe(result);
  EXPECT_TRUE(contains(result.error().message, "BITROUTER_MAX_RESPONSE_BYTES"))
      << result.error().message;
  EXPECT_EQ(standin().chatRequestCount(), 1u);

  // Just under the limit is fine, and the abandoned connection did not poison the pool.
  standin().script({.bodyPadBytes = 1000});
  const ModelResult fits = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(fits.ok()) << describe(fits);
  EXPECT_EQ(fits.output().text.size(),
            std::string("Stand-in reply from gpt-4o-mini: hi").size() + 1000);
}

TEST_F(ResponseBodiesTest, TrickledHeadersAndBodyAreReassembled) {
  makeHost();
  standin().script({.trickleHeaders = true});
  const ModelResult result = call(ModelType::TextSmall, "slowly");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "Stand-in reply from gpt-4o-mini: slowly");
}

}  // namespace
}  // namespace agent::bitrouter::integration
