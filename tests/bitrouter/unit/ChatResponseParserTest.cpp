#include "chat/ChatResponseParser.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

Expected<ChatCompletion> parse(std::string body) {
  return ChatResponseParser::parse(body);
}

TEST(ChatResponseParser, TypicalCompletion) {
  auto result = parse(R"({"id":"r","object":"chat.completion","model":"gpt-4o-mini",
      "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],
      "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}})");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.value().text, "Hello!");
  EXPECT_EQ(result.value().finishReason, "stop");
  ASSERT_TRUE(result.value().usage.has_value());
  EXPECT_EQ(result.value().usage->promptTokens, 9);
  EXPECT_EQ(result.value().usage->completionTokens, 3);
  EXPECT_EQ(result.value().usage->totalTokens, 12);
  EXPECT_FALSE(result.value().usage->estimated);
}

TEST(ChatResponseParser, NullContentIsEmptyText) {
  auto result = parse(
      R"({"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"stop"}]})");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().text, "");
}

TEST(ChatResponseParser, MissingContentAndToolOnlyAnswer) {
  auto result = parse(
      R"({"choices":[{"message":{"role":"assistant","tool_calls":[]},"finish_reason":"tool_calls"}]})");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().text, "");
  EXPECT_EQ(result.value().finishReason, "tool_calls");
}

TEST(ChatResponseParser, PartsArrayContentIsJoined) {
  auto result = parse(R"({"choices":[{"message":{"content":[{"type":"text","text":"a"},
      {"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"b"}]},"finish_reason":"stop"}]})");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().text, "ab");
}

TEST(ChatResponseParser, MissingUsageIsAbsentNotZero) {
  auto result = parse(R"({"choices":[{"message":{"content":"x"},"finish_reason":"stop"}]})");
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.value().usage.has_value());
}

TEST(ChatResponseParser, PartialUsageComputesTotal) {
  auto result = parse(
      R"({"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":4,"completion_tokens":2}})");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().usage->totalTokens, 6);
}

TEST(ChatResponseParser, NullFinishReasonIsEmpty) {
  auto result = parse(R"({"choices":[{"message":{"content":"x"},"finish_reason":null}]})");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().finishReason, "");
}

TEST(ChatResponseParser, EmptyChoicesIsBadResponse) {
  auto result = parse(R"({"id":"r","choices":[]})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
  EXPECT_EQ(result.error().message, "BitRouter returned no choices");
  EXPECT_FALSE(parse(R"({"id":"r"})").ok());
  EXPECT_FALSE(parse(R"({"choices":{}})").ok());
  EXPECT_FALSE(parse(R"({"choices":[{"index":0}]})").ok());
  EXPECT_FALSE(parse(R"({"choices":[42]})").ok());
}

TEST(ChatResponseParser, MalformedJsonIsBadResponseWithOffset) {
  auto result = parse(R"({"choices":[{"message":{"content":"trunc)");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
  EXPECT_NE(result.error().message.find("malformed JSON"), std::string::npos);
  EXPECT_NE(result.error().message.find("at offset"), std::string::npos);
  EXPECT_FALSE(parse("").ok());
  EXPECT_FALSE(parse("[]").ok());
  EXPECT_FALSE(parse("<html>oops</html>").ok());
}

TEST(ChatResponseParser, DeepNestingDoesNotOverflowTheStack) {
  std::string deep = R"({"choices":[{"message":{"content":"ok"}}],"x":)";
  deep += std::string(200000, '[') + std::string(200000, ']') + "}";
  auto result = parse(deep);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().text, "ok");
}

}  // namespace
}  // namespace agent::bitrouter
