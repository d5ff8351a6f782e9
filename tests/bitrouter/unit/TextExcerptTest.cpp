#include "errors/TextExcerpt.hpp"

#include <gtest/gtest.h>

#include "chat/ChatAttempt.hpp"
#include "config/Redactor.hpp"
#include "schema/JsonText.hpp"

namespace agent::bitrouter {
namespace {

TEST(TextExcerpt, CollapsesWhitespaceAndControlCharacters) {
  EXPECT_EQ(textExcerpt("  a\tb\r\n\n c \x01 d  "), "a b c d");
}

TEST(TextExcerpt, CutsAtAUtf8Boundary) {
  const std::string text = "ab\xC3\xA9\xC3\xA9";  // "abéé", 6 bytes
  EXPECT_EQ(truncateUtf8(text, 3), "ab...");
  EXPECT_EQ(truncateUtf8(text, 4), "ab\xC3\xA9...");
  EXPECT_EQ(truncateUtf8(text, 6), text);
}

TEST(Redactor, ReplacesEveryOccurrence) {
  const Redactor redactor("brvk_key");
  EXPECT_EQ(redactor.apply("a brvk_key b brvk_key"), "a [redacted] b [redacted]");
  EXPECT_EQ(redactor.apply("nothing here"), "nothing here");
  EXPECT_EQ(Redactor("").apply("text"), "text");
  EXPECT_EQ(Redactor("ab").apply("abab"), "abab");  // too short to scrub meaningfully
}

TEST(Redactor, QuotesASettingMaskedAndCut) {
  const Redactor redactor("sk-localsecret");
  EXPECT_EQ(redactor.quoteSetting("soon", 40), "'soon'");
  EXPECT_EQ(redactor.quoteSetting(std::string(50, 'x'), 40), "'" + std::string(40, 'x') + "...'");
  EXPECT_EQ(Redactor().quoteSetting("abc", 40), "'abc'");
}

TEST(Redactor, NeverQuotesWhatLooksLikeAKey) {
  const std::string key = "brvk_ZZleakCanary0123456789abcdefghijklmnopqrstu";
  const Redactor redactor(key);
  for (const std::string& value :
       {key, "Bearer " + key, key.substr(0, 30), std::string("BRVK_other"),
        key.substr(5, 12) /* the key without its prefix, cut */, "x" + key.substr(20, 8) + "y"}) {
    EXPECT_TRUE(redactor.looksLikeKey(value)) << value;
    EXPECT_EQ(redactor.quoteSetting(value, 40), Redactor::kHiddenValue) << value;
  }
  // Any brvk_ value is held back even when no key is configured (or another one is).
  EXPECT_EQ(Redactor().quoteSetting("brvk_anything", 80), Redactor::kHiddenValue);
  EXPECT_EQ(Redactor("sk-other-key").quoteSetting("xbrvk_y", 80), Redactor::kHiddenValue);
  EXPECT_FALSE(redactor.looksLikeKey("http://127.0.0.1:4356"));
  EXPECT_FALSE(redactor.looksLikeKey("300000"));
  // A short key is matched whole only.
  EXPECT_TRUE(Redactor("abcd").looksLikeKey("xabcdx"));
  EXPECT_FALSE(Redactor("abcd").looksLikeKey("abc"));
}

TEST(JsonDepth, IgnoresBracketsInStrings) {
  EXPECT_EQ(jsonNestingDepth(R"({"a":[1,{"b":"[[[{{{"}]})"), 3u);
  EXPECT_EQ(jsonNestingDepth(R"("\"[[")"), 0u);
  EXPECT_EQ(jsonNestingDepth("[[[]]]"), 3u);
}

TEST(TokenEstimator, AboutFourCharactersPerToken) {
  EXPECT_EQ(estimateTokens(0), 0);
  EXPECT_EQ(estimateTokens(1), 1);
  EXPECT_EQ(estimateTokens(8), 2);
  EXPECT_EQ(estimateTokens(9), 3);
  GenerateTextParams params;
  params.system = "1234";
  params.prompt = "12345678";
  const TokenUsage usage = estimateUsage(params, 20);
  EXPECT_EQ(usage.promptTokens, 3);
  EXPECT_EQ(usage.completionTokens, 5);
  EXPECT_EQ(usage.totalTokens, 8);
  EXPECT_TRUE(usage.estimated);
  for (const char* role : {"user", "assistant"}) {
    ChatMessage message;
    message.role = role;
    message.content = "1234";
    params.messages.push_back(message);
  }
  EXPECT_EQ(estimateUsage(params, 0).promptTokens, 3);  // system + messages, prompt unused
}

}  // namespace
}  // namespace agent::bitrouter
