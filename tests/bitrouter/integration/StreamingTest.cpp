// Streaming (issue #4): SSE deltas reach onChunk as frames arrive, and every way a stream can end
// early (error frame, missing finish_reason, cut connection, cancel, silence) has its own error.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

class StreamingTest : public BitRouterIntegrationTest {
 protected:
  // Streams one TEXT_SMALL call, collecting each chunk; `stopAfter` chunks, the callback cancels.
  ModelResult stream(std::string prompt, std::optional<std::size_t> stopAfter = std::nullopt,
                     std::optional<std::string> schema = std::nullopt) {
    chunks_.clear();
    firstChunkAt_.reset();
    GenerateTextParams params = withPrompt(std::move(prompt));
    params.responseSchema = std::move(schema);
    params.stream = true;
    params.onChunk = [this, stopAfter](std::string_view chunk) {
      if (!firstChunkAt_) firstChunkAt_ = Clock::now();
      chunks_.emplace_back(chunk);
      return !(stopAfter && chunks_.size() >= *stopAfter);
    };
    return call(ModelType::TextSmall, std::move(params));
  }

  std::string joinedChunks() const {
    std::string all;
    for (const auto& chunk : chunks_)
      all += chunk;
    return all;
  }

  void expectStreamFailure(const ModelResult& result, ErrorKind kind, std::string_view partial) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, kind) << describe(result);
    EXPECT_EQ(result.error().partialText, partial);
    EXPECT_EQ(joinedChunks(), partial);  // partialText is exactly what the callback saw
    EXPECT_EQ(standin().chatRequestCount(), 1u) << "a started stream was retried";
    EXPECT_TRUE(modelUsed().empty());
  }

  std::vector<std::string> chunks_;
  std::optional<Clock::time_point> firstChunkAt_;
};

const std::vector<std::string> kPieces{"Hel", "lo, ", "wor", "ld!"};

TEST_F(StreamingTest, DeltasArriveInOrderAndTheWholeTextIsReturned) {
  makeHost();
  standin().script({.streamChunks = kPieces});
  const ModelResult result = stream("Say hello");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(chunks_, kPieces);
  EXPECT_EQ(result.output().text, "Hello, world!");
  EXPECT_EQ(result.output().finishReason, "stop");
  EXPECT_EQ(result.output().model, "gpt-4o-mini");

  const rapidjson::Document body = lastChatBody();
  EXPECT_TRUE(body["stream"].IsBool() && body["stream"].GetBool()) << toJson(body);
  const standin::RecordedRequest request = chatRequests().back();
  const auto accept = request.headers.find("Accept");
  ASSERT_NE(accept, request.headers.end());
  EXPECT_TRUE(contains(accept->second, "text/event-stream")) << accept->second;
}

TEST_F(StreamingTest, PlainJsonReplyToAStreamRequestIsDeliveredAsOneChunk) {
  // A router that ignores "stream": a whole chat.completion instead of SSE.
  makeHost();
  standin().script({.body = R"({"id":"r","object":"chat.completion","model":"gpt-4o-mini",
      "choices":[{"index":0,"message":{"role":"assistant","content":"all at once"},
      "finish_reason":"stop"}]})"});
  const ModelResult result = stream("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "all at once");
  EXPECT_EQ(chunks_, std::vector<std::string>{"all at once"});
}

TEST_F(StreamingTest, FirstChunkReachesTheCallbackBeforeTheLastFrameIsSent) {
  makeHost();
  standin().script({.streamChunks = kPieces, .frameDelay = milliseconds(80)});
  const ModelResult result = stream("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  ASSERT_TRUE(firstChunkAt_.has_value());
  const auto lastFrame = standin().lastStreamFrameSentAt();
  ASSERT_TRUE(lastFrame.has_value());
  EXPECT_LT(*firstChunkAt_, *lastFrame) << "the stream was buffered, not read incrementally";
}

TEST_F(StreamingTest, LargeAndManySmallFramesArriveIntact) {
  makeHost();
  const std::string big(100 * 1024, 'x');
  standin().script({.streamChunks = {"<", big, ">"}});
  ModelResult result = stream("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "<" + big + ">");
  EXPECT_EQ(joinedChunks(), result.output().text);

  std::vector<std::string> many;
  std::string all;
  for (int i = 0; i < 500; ++i) {
    many.push_back(std::to_string(i) + ",");
    all += many.back();
  }
  standin().script({.streamChunks = many});
  result = stream("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(chunks_, many);
  EXPECT_EQ(result.output().text, all);
}

TEST_F(StreamingTest, SseFramingVariantsAreParsedPerTheSpec) {
  // What a proxy in front of BitRouter may produce: CRLF line ends, comments, event/id fields, and
  // a data field split over two lines (joined with a newline, which JSON allows as whitespace).
  makeHost();
  const std::string sse =
      ": proxy says hi\r\n\r\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"A\"},"
      "\"finish_reason\":null}]}\r\n\r\n"
      "data: {\"choices\":[{\"index\":0,\n"
      "data: \"delta\":{\"content\":\"B\"},\"finish_reason\":null}]}\n\n"
      "event: message\nid: 7\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
      "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13}}\n\n"
      "data: [DONE]\n\n";
  standin().script({.body = sse, .contentType = "text/event-stream"});
  const ModelResult result = stream("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "AB");
  EXPECT_EQ(chunks_, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(result.output().finishReason, "stop");
  // A stream that does carry usage (OpenAI-style) is believed, not estimated.
  EXPECT_FALSE(result.output().usage.estimated);
  EXPECT_EQ(result.output().usage.totalTokens, 13);
}

TEST_F(StreamingTest, ModelUsedForAStreamHasEstimatedTokens) {
  makeHost();
  const ModelResult result = stream("Say hello");
  ASSERT_TRUE(result.ok()) << describe(result);
  const std::string expected = "Stand-in reply from gpt-4o-mini: Say hello";
  EXPECT_EQ(result.output().text, expected);
  EXPECT_EQ(joinedChunks(), expected);
  EXPECT_GT(chunks_.size(), 1u);

  const auto events = modelUsed();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].provider, "bitrouter");
  EXPECT_EQ(events[0].type, ModelType::TextSmall);
  EXPECT_EQ(events[0].model, "gpt-4o-mini");
  EXPECT_TRUE(events[0].tokens.estimated);  // BitRouter streams carry no usage
  EXPECT_EQ(events[0].tokens.completionTokens,
            static_cast<std::int64_t>((expected.size() + 3) / 4));
  EXPECT_EQ(events[0].tokens.promptTokens, static_cast<std::int64_t>((9 + 3) / 4));
}

TEST_F(StreamingTest, KeepaliveCommentsAreIgnored) {
  makeHost();
  standin().script(
      {.streamChunks = kPieces, .frameDelay = milliseconds(10), .keepalivesBeforeFirstFrame = 3});
  const ModelResult result = stream("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(chunks_, kPieces);
}

TEST_F(StreamingTest, KeepalivesKeepASlowStreamWithinTheIdleTimeout) {
  // Frames 600 ms apart, a keepalive every 25 ms, an idle allowance of 300 ms: the stream is
  // never silent for long, so it must not time out.
  standin::StandinOptions options;
  options.keepaliveInterval = milliseconds(25);
  restartStandin(options);
  makeHost({{"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "300"}});
  standin().script({.streamChunks = {"slow but ", "alive"}, .frameDelay = milliseconds(600)});
  const ModelResult result = stream("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "slow but alive");
}

TEST_F(StreamingTest, MidStreamErrorFrameEndsTheCallWithItsKindAndThePartialText) {
  makeHost();
  standin().script({.streamChunks = kPieces, .errorAfterFrames = 2});
  expectStreamFailure(stream("hi"), ErrorKind::Timeout, "Hello, ");  // upstream_timeout

  standin().resetRecords();
  standin().script(
      {.streamChunks = kPieces, .errorAfterFrames = 1, .streamErrorCode = "upstream_unavailable"});
  const ModelResult unavailable = stream("hi");
  expectStreamFailure(unavailable, ErrorKind::Unavailable, "Hel");
  EXPECT_EQ(unavailable.error().httpStatus, 200);
  EXPECT_TRUE(contains(unavailable.error().message, "upstream_unavailable"))
      << unavailable.error().message;

  // An error as the very first frame: nothing was delivered.
  standin().resetRecords();
  standin().script({.streamChunks = kPieces, .errorAfterFrames = 0});
  expectStreamFailure(stream("hi"), ErrorKind::Timeout, "");
}

TEST_F(StreamingTest, MidStreamErrorCodesMapToErrorKinds) {
  makeHost();
  const std::vector<std::pair<std::string, ErrorKind>> cases{
      {"upstream_rate_limited", ErrorKind::RateLimited},
      {"rate_limit_exceeded", ErrorKind::RateLimited},
      {"upstream_policy_violation", ErrorKind::Forbidden},
      {"upstream_bad_gateway", ErrorKind::Unavailable},
      {"upstream_invalid_response", ErrorKind::Unavailable},
  };
  for (const auto& [code, kind] : cases) {
    SCOPED_TRACE(code);
    standin().resetRecords();
    standin().script({.streamChunks = kPieces, .errorAfterFrames = 3, .streamErrorCode = code});
    const ModelResult result = stream("hi");
    expectStreamFailure(result, kind, "Hello, wor");
    EXPECT_TRUE(contains(result.error().message, code)) << result.error().message;
  }
}

TEST_F(StreamingTest, StreamLargerThanTheLimitIsABadResponse) {
  makeHost({{"BITROUTER_MAX_RESPONSE_BYTES", "1024"}});
  standin().script({.bodyPadBytes = 8192});
  const ModelResult result = stream("hi");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse) << describe(result);
  EXPECT_TRUE(contains(result.error().message, "BITROUTER_MAX_RESPONSE_BYTES"))
      << result.error().message;
  EXPECT_EQ(result.error().partialText, joinedChunks());
  EXPECT_LE(joinedChunks().size(), 1024u);
  EXPECT_EQ(standin().chatRequestCount(), 1u);
}

TEST_F(StreamingTest, ConnectionClosedBeforeTheStreamStartsIsNotRetried) {
  makeHost();
  standin().scriptRepeated({.dropBeforeHeaders = true}, 3);
  const ModelResult result = stream("hi");
  standin().clearScripts();
  expectStreamFailure(result, ErrorKind::Unavailable, "");
}

TEST_F(StreamingTest, MissingFinishReasonIsTruncated) {
  makeHost();
  // [DONE] without a finish chunk.
  standin().script({.streamChunks = kPieces, .omitFinish = true});
  const ModelResult withDone = stream("hi");
  expectStreamFailure(withDone, ErrorKind::Truncated, "Hello, world!");
  EXPECT_TRUE(contains(withDone.error().message, "[DONE]")) << withDone.error().message;

  // Neither a finish chunk nor [DONE]: the body just ends.
  standin().resetRecords();
  standin().script({.streamChunks = kPieces, .omitFinish = true, .omitDone = true});
  expectStreamFailure(stream("hi"), ErrorKind::Truncated, "Hello, world!");
}

TEST_F(StreamingTest, ConnectionCutMidStreamIsTruncated) {
  makeHost();
  standin().script({.streamChunks = kPieces, .cutAfterFrames = 2});
  expectStreamFailure(stream("hi"), ErrorKind::Truncated, "Hello, ");
  // The broken connection is not reused.
  const ModelResult next = stream("again");
  EXPECT_TRUE(next.ok()) << describe(next);
}

TEST_F(StreamingTest, CancelFromTheCallbackKeepsThePartialTextAndTheProviderWorksAfter) {
  makeHost();
  standin().script({.streamChunks = kPieces, .frameDelay = milliseconds(20)});
  const ModelResult cancelled = stream("hi", 2);
  expectStreamFailure(cancelled, ErrorKind::Cancelled, "Hello, ");
  EXPECT_EQ(chunks_.size(), 2u);  // nothing delivered after the callback said stop

  // Frames that arrived in one read are not delivered after the stop either.
  standin().resetRecords();
  standin().script({.streamChunks = kPieces, .frameDelay = milliseconds(0)});
  expectStreamFailure(stream("hi", 1), ErrorKind::Cancelled, "Hel");
  EXPECT_EQ(chunks_.size(), 1u);

  const ModelResult next = stream("again");
  ASSERT_TRUE(next.ok()) << describe(next);
  EXPECT_EQ(next.output().text, "Stand-in reply from gpt-4o-mini: again");
  const ModelResult plain = call(ModelType::TextSmall, "plain");
  EXPECT_TRUE(plain.ok()) << describe(plain);
}

TEST_F(StreamingTest, CallbackThatThrowsEndsTheCallAsInternal) {
  makeHost();
  standin().script({.streamChunks = kPieces});
  GenerateTextParams params = withPrompt("hi");
  params.stream = true;
  int calls = 0;
  params.onChunk = [&calls](std::string_view) -> bool {
    if (++calls == 2) throw std::runtime_error("subscriber exploded");
    return true;
  };
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Internal) << describe(result);
  EXPECT_TRUE(contains(result.error().message, "subscriber exploded")) << result.error().message;
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(standin().chatRequestCount(), 1u);

  const ModelResult next = stream("again");
  EXPECT_TRUE(next.ok()) << describe(next);
}

TEST_F(StreamingTest, SilenceLongerThanTheIdleTimeoutIsATimeout) {
  makeHost({{"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "150"}});
  standin().script({.streamChunks = kPieces, .frameDelay = milliseconds(3000)});
  const auto start = Clock::now();
  const ModelResult result = stream("hi");
  const auto elapsed = Clock::now() - start;
  expectStreamFailure(result, ErrorKind::Timeout, "Hel");
  EXPECT_TRUE(contains(result.error().message, "BITROUTER_STREAM_IDLE_TIMEOUT_MS"))
      << result.error().message;
  EXPECT_LT(elapsed, milliseconds(3000)) << "waited for the next frame instead of timing out";
}

TEST_F(StreamingTest, WholeCallDeadlineAlsoBoundsAStream) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "400"}});
  standin().script({.streamChunks = kPieces, .frameDelay = milliseconds(250)});
  const ModelResult result = stream("hi");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout) << describe(result);
  EXPECT_EQ(result.error().partialText, joinedChunks());
  EXPECT_FALSE(joinedChunks().empty());
}

TEST_F(StreamingTest, PreStreamRateLimitIsRetriedLikeANonStreamingCall) {
  makeHost();
  standin().script({.status = 429, .headers = {{"retry-after", "0"}}});
  const ModelResult result = stream("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "Stand-in reply from gpt-4o-mini: hi");
  EXPECT_EQ(joinedChunks(), result.output().text);
  const auto chats = chatRequests();
  ASSERT_EQ(chats.size(), 2u);
  for (const auto& request : chats) {
    EXPECT_TRUE(contains(request.body, R"("stream":true)")) << request.body;
  }

  // And a pre-stream 401 is not retried.
  standin().resetRecords();
  standin().script({.status = 401});
  const ModelResult auth = stream("hi");
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().kind, ErrorKind::Auth);
  EXPECT_EQ(standin().chatRequestCount(), 1u);
}

TEST_F(StreamingTest, StreamedStructuredReplyIsValidatedAsAWhole) {
  makeHost();
  constexpr std::string_view kSchema =
      R"({"type":"object","properties":{"message":{"type":"string"}},"required":["message"]})";
  // The stand-in answers JSON-format requests with {"message": ...}, streamed in pieces.
  const ModelResult result = stream("Say hello", std::nullopt, std::string(kSchema));
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, R"({"message":"Stand-in reply from gpt-4o-mini: Say hello"})");
  EXPECT_GT(chunks_.size(), 1u);
  EXPECT_TRUE(lastChatBody().HasMember("response_format"));

  standin().resetRecords();
  standin().script({.streamChunks = {"{\"wro", "ng\": 1}"}});
  const ModelResult wrong = stream("Say hello", std::nullopt, std::string(kSchema));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::BadResponse) << describe(wrong);
  EXPECT_TRUE(contains(wrong.error().message, "'message'")) << wrong.error().message;
  EXPECT_EQ(wrong.error().partialText, "{\"wrong\": 1}");
}

}  // namespace
}  // namespace agent::bitrouter::integration
