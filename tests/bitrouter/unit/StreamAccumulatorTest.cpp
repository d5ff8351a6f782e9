#include "chat/StreamAccumulator.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

using Step = StreamAccumulator::Step;

TEST(StreamAccumulator, CollectsDeltasAndTheFinishReason) {
  StreamAccumulator stream;
  EXPECT_EQ(
      stream.onData(
          R"({"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]})"),
      Step::Content);
  EXPECT_EQ(stream.lastContent(), "Hel");
  EXPECT_EQ(
      stream.onData(R"({"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]})"),
      Step::Content);
  EXPECT_EQ(stream.lastContent(), "lo");
  EXPECT_FALSE(stream.finished());
  EXPECT_EQ(stream.onData(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"),
            Step::Continue);
  EXPECT_TRUE(stream.finished());
  EXPECT_EQ(stream.finishReason(), "stop");
  EXPECT_EQ(stream.onData("[DONE]"), Step::Done);
  EXPECT_TRUE(stream.sawDone());
  EXPECT_EQ(stream.text(), "Hello");
  EXPECT_FALSE(stream.usage().has_value());
}

TEST(StreamAccumulator, ALoneBackslashAtTheEndOfAFrameIsMalformedNotARead) {
  // The escape scanner once stepped two bytes past a trailing backslash and read on past the
  // frame (found by fuzz_sse_stream under ASan).
  StreamAccumulator stream;
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"content":"x\)"), Step::Malformed);
  EXPECT_EQ(stream.onData("\\"), Step::Malformed);
  EXPECT_EQ(stream.onData("\\uD83D"), Step::Malformed);
}

TEST(StreamAccumulator, RoleOnlyAndNullContentDeltasAreNotContent) {
  StreamAccumulator stream;
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"role":"assistant"}}]})"), Step::Continue);
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"content":null}}]})"), Step::Continue);
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"content":""}}]})"), Step::Continue);
  EXPECT_EQ(stream.onData(R"({"choices":[]})"), Step::Continue);
  EXPECT_EQ(stream.text(), "");
}

TEST(StreamAccumulator, ContentAndFinishInOneChunk) {
  StreamAccumulator stream;
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"content":"x"},"finish_reason":"length"}]})"),
            Step::Content);
  EXPECT_TRUE(stream.finished());
  EXPECT_EQ(stream.finishReason(), "length");
}

TEST(StreamAccumulator, UsageIsPickedUpWhenSent) {
  StreamAccumulator stream;
  stream.onData(
      R"({"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})");
  ASSERT_TRUE(stream.usage().has_value());
  EXPECT_EQ(stream.usage()->totalTokens, 7);
}

TEST(StreamAccumulator, ErrorFrame) {
  StreamAccumulator stream;
  stream.onData(R"({"choices":[{"delta":{"content":"par"}}]})");
  EXPECT_EQ(
      stream.onData(
          R"({"error":{"message":"upstream timeout","type":"upstream_error","code":"upstream_timeout"}})"),
      Step::Error);
  EXPECT_EQ(stream.error().code, "upstream_timeout");
  EXPECT_EQ(stream.error().message, "upstream timeout");
  EXPECT_EQ(stream.text(), "par");
  EXPECT_EQ(stream.onData(R"({"error":"plain string"})"), Step::Error);
  EXPECT_EQ(stream.error().message, "plain string");
}

TEST(StreamAccumulator, MalformedFrames) {
  StreamAccumulator stream;
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":)"), Step::Malformed);
  EXPECT_NE(stream.problem().find("malformed stream frame"), std::string::npos);
  EXPECT_EQ(stream.onData("[1,2]"), Step::Malformed);
  EXPECT_EQ(stream.onData(" [DONE] "), Step::Done);
}

TEST(StreamAccumulator, LargeFramesAndEscapesWork) {
  StreamAccumulator stream;
  const std::string big(20000, 'z');
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"content":")" + big + R"("}}]})"),
            Step::Content);
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"content":"\n\"\u00e9"}}]})"), Step::Content);
  EXPECT_EQ(stream.text(), big + "\n\"\xC3\xA9");
}

TEST(StreamAccumulator, ResetStartsOver) {
  StreamAccumulator stream;
  stream.onData(R"({"choices":[{"delta":{"content":"x"},"finish_reason":"stop"}]})");
  stream.onData("[DONE]");
  stream.reset();
  EXPECT_EQ(stream.text(), "");
  EXPECT_FALSE(stream.finished());
  EXPECT_FALSE(stream.sawDone());
}

}  // namespace
}  // namespace agent::bitrouter

namespace agent::bitrouter {
namespace {

std::string contentFrame(const std::string& escaped) {
  return R"({"choices":[{"index":0,"delta":{"content":")" + escaped + R"("}}]})";
}

TEST(StreamAccumulator, SplitSurrogatePairIsJoinedAndEscapedBackslashesAreLeftAlone) {
  StreamAccumulator stream;
  ASSERT_EQ(stream.onData(contentFrame(R"(a\\ud83d b\ud83d)")), StreamAccumulator::Step::Content);
  // The literal text "\ud83d" (an escaped backslash) is text; the real half waits.
  EXPECT_EQ(stream.lastContent(), R"(a\ud83d b)");
  ASSERT_EQ(stream.onData(contentFrame(R"(\ude00)")), StreamAccumulator::Step::Content);
  EXPECT_EQ(stream.lastContent(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(stream.text(), "a\\ud83d b\xF0\x9F\x98\x80");
  EXPECT_EQ(stream.deliveredText(), stream.text().size());
}

TEST(StreamAccumulator, AHalfThatNeverGetsItsPartnerIsHandedOutAtTheFinish) {
  StreamAccumulator stream;
  ASSERT_EQ(stream.onData(contentFrame(R"(x\ud83d)")), StreamAccumulator::Step::Content);
  EXPECT_EQ(stream.lastContent(), "x");
  ASSERT_EQ(stream.onData(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"),
            StreamAccumulator::Step::Content);
  EXPECT_EQ(stream.lastContent(), "\xED\xA0\xBD");  // as RapidJSON gives a lone low one
  EXPECT_EQ(stream.deliveredText(), 4u);
}

}  // namespace
}  // namespace agent::bitrouter
