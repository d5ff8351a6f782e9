// Faults on the wire, one call at a time, through the real host, the real bitrouter.so and the
// stand-in: every call ends with a result or a clear error of a sensible kind, within its deadline
// (plus slack), without the key in anything the caller or the log sees.
#include <csignal>
#include <string>

#include "FaultSupport.hpp"

namespace agent::faults {
namespace {

using standin::ResponseScript;
using Kinds = std::set<ErrorKind>;

class TransportFaultTest : public FaultTest {};

// --- Connections that die ----------------------------------------------------------------------

TEST_F(TransportFaultTest, DroppedBeforeHeaders) {
  standin().scriptRepeated({.dropBeforeHeaders = true}, 4);
  const TimedResult plain = call("drop before headers");
  ASSERT_FALSE(plain.result.ok());
  expectCleanEnd(plain, {ErrorKind::Unavailable});

  const TimedResult streamed = call("drop before headers", true);
  ASSERT_FALSE(streamed.result.ok());
  expectCleanEnd(streamed, {ErrorKind::Unavailable});
  EXPECT_EQ(streamed.chunks, 0u);
}

TEST_F(TransportFaultTest, DroppedMidBody) {
  standin().script({.content = std::string(4000, 'a'), .dropMidBody = true});
  const TimedResult plain = call("drop mid body");
  ASSERT_FALSE(plain.result.ok());
  expectCleanEnd(plain, {ErrorKind::Unavailable});
  // Named as the hang-up it was, not blamed on the server's JSON.
  EXPECT_NE(plain.result.error().message.find("BitRouter closed the connection after "),
            std::string::npos)
      << plain.result.error().message;
}

TEST_F(TransportFaultTest, DroppedMidStreamKeepsThePartialText) {
  standin().script({.streamChunks = {"one ", "two ", "three ", "four"}, .cutAfterFrames = 2});
  const TimedResult streamed = call("cut mid stream", true);
  ASSERT_FALSE(streamed.result.ok());
  expectCleanEnd(streamed, {ErrorKind::Truncated});
  EXPECT_EQ(streamed.streamed, "one two ");
  EXPECT_EQ(streamed.result.error().partialText, "one two ");
}

TEST_F(TransportFaultTest, DroppedAfterTheFirstFrame) {
  standin().script({.dropMidBody = true, .streamChunks = {"only ", "never"}});
  const TimedResult streamed = call("drop mid stream", true);
  ASSERT_FALSE(streamed.result.ok());
  expectCleanEnd(streamed, {ErrorKind::Truncated});
  EXPECT_EQ(streamed.streamed, "only ");
}

// --- Servers that stall ------------------------------------------------------------------------

TEST_F(TransportFaultTest, AcceptedButNeverAnsweredEndsAtTheDeadline) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "1200"}});
  standin().scriptRepeated({.neverAnswer = true}, 4);
  const TimedResult plain = call("never answered");
  ASSERT_FALSE(plain.result.ok());
  expectCleanEnd(plain, {ErrorKind::Timeout});
  EXPECT_GE(plain.elapsed, milliseconds(1000));

  const TimedResult streamed = call("never answered", true);
  ASSERT_FALSE(streamed.result.ok());
  expectCleanEnd(streamed, {ErrorKind::Timeout});
}

TEST_F(TransportFaultTest, HeadersTrickledByteByByteAreReassembled) {
  standin().script({.content = "trickled reply", .trickleHeaders = true});
  const TimedResult plain = call("trickle");
  ASSERT_TRUE(plain.result.ok()) << describe(plain.result);
  EXPECT_EQ(plain.result.output().text, "trickled reply");
  expectCleanEnd(plain);
}

// A server that sends one byte at a time, each well within any per-read timeout, must not keep a
// call past its deadline (a per-read timeout alone would wait forever: slowloris).
TEST_F(TransportFaultTest, TrickleSlowerThanTheDeadlineTimesOut) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "1000"}, {"BITROUTER_MAX_RETRIES", "0"}});
  standin().script({.content = std::string(2000, 'z'),
                    .trickleHeaders = true,
                    .trickleDelay = milliseconds(40)});
  const TimedResult plain = call("slowloris");
  ASSERT_FALSE(plain.result.ok()) << describe(plain.result);
  expectCleanEnd(plain, {ErrorKind::Timeout});
}

TEST_F(TransportFaultTest, SilentStreamEndsAtTheIdleTimeout) {
  makeHost({{"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "300"}, {"BITROUTER_TIMEOUT_MS", "5000"}});
  standin().script({.streamChunks = {"a", "b"}, .frameDelay = milliseconds(2000)});
  const TimedResult streamed = call("idle", true);
  ASSERT_FALSE(streamed.result.ok());
  expectCleanEnd(streamed, {ErrorKind::Timeout});
  EXPECT_LT(streamed.elapsed, milliseconds(2000));
}

// --- Bodies that are too big or hostile ---------------------------------------------------------

TEST_F(TransportFaultTest, TwentyMegabyteBodyIsRefusedPastTheDefaultLimit) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "20000"}});
  standin().script({.content = "big", .bodyPadBytes = 20'000'000});
  const TimedResult plain = call("20 MB");
  ASSERT_FALSE(plain.result.ok());
  expectCleanEnd(plain, {ErrorKind::BadResponse});
  EXPECT_TRUE(contains(plain.result.error().message, "16777216")) << plain.result.error().message;
  EXPECT_TRUE(contains(plain.result.error().message, "BITROUTER_MAX_RESPONSE_BYTES"));
}

TEST_F(TransportFaultTest, TwentyMegabyteBodyIsReadWhenTheLimitAllowsIt) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "20000"}, {"BITROUTER_MAX_RESPONSE_BYTES", "33554432"}});
  standin().script({.content = "big", .bodyPadBytes = 20'000'000});
  const TimedResult plain = call("20 MB");
  ASSERT_TRUE(plain.result.ok()) << describe(plain.result);
  EXPECT_EQ(plain.result.output().text.size(), 20'000'003u);
  expectCleanEnd(plain);
}

TEST_F(TransportFaultTest, SmallLimitRefusesPlainAndStreamedReplies) {
  makeHost({{"BITROUTER_MAX_RESPONSE_BYTES", "4096"}});
  standin().script({.content = std::string(10000, 'x')});
  const TimedResult plain = call("limit");
  ASSERT_FALSE(plain.result.ok());
  expectCleanEnd(plain, {ErrorKind::BadResponse});
  EXPECT_TRUE(contains(plain.result.error().message, "4096"));

  standin().script({.streamChunks = std::vector<std::string>(10, std::string(1000, 'y'))});
  const TimedResult streamed = call("limit", true);
  ASSERT_FALSE(streamed.result.ok());
  expectCleanEnd(streamed, {ErrorKind::BadResponse});
  EXPECT_LE(streamed.streamed.size(), 4096u);
}

TEST_F(TransportFaultTest, DeeplyNestedBodyIsABadResponseNotAStackOverflow) {
  standin().script({.body = std::string(100000, '[') + std::string(100000, ']')});
  const TimedResult plain = call("nested");
  ASSERT_FALSE(plain.result.ok());
  expectCleanEnd(plain, {ErrorKind::BadResponse});

  standin().script({.body = std::string(200000, '[')});
  const TimedResult unclosed = call("nested");
  ASSERT_FALSE(unclosed.result.ok());
  expectCleanEnd(unclosed, {ErrorKind::BadResponse});
}

TEST_F(TransportFaultTest, DeeplyNestedStreamFrameIsMalformedNotAStackOverflow) {
  const std::string frame = "data: " + std::string(100000, '[') + "\n\n";
  standin().script({.body = frame + "data: [DONE]\n\n", .contentType = "text/event-stream"});
  const TimedResult streamed = call("nested frame", true);
  ASSERT_FALSE(streamed.result.ok());
  expectCleanEnd(streamed, {ErrorKind::BadResponse});
}

TEST_F(TransportFaultTest, GarbageAndEmptyBodiesAreBadResponses) {
  for (const std::string& body :
       {std::string(), std::string("\0\0\0", 3), std::string("{\"choices\""),
        std::string("<html>502</html>"), std::string("null")}) {
    standin().script({.body = body});
    const TimedResult plain = call("garbage");
    ASSERT_FALSE(plain.result.ok()) << "body of " << body.size() << " bytes";
    expectCleanEnd(plain, {ErrorKind::BadResponse});
  }
}

// Headers larger than the read buffer are reassembled (it grows); past 64 KiB they are refused,
// and the next call on a fresh connection still works.
TEST_F(TransportFaultTest, LargeHeadersAreReadAndOversizeHeadersAreABadResponse) {
  standin().script({.headers = {{"X-Padding", std::string(40000, 'p')}}, .content = "padded"});
  const TimedResult large = call("large headers");
  ASSERT_TRUE(large.result.ok()) << describe(large.result);
  EXPECT_EQ(large.result.output().text, "padded");
  standin().script({.headers = {{"X-Padding", std::string(70000, 'p')}}, .content = "never"});
  const TimedResult oversize = call("oversize headers");
  ASSERT_FALSE(oversize.result.ok());
  expectCleanEnd(oversize, {ErrorKind::BadResponse});
  EXPECT_TRUE(contains(oversize.result.error().message, "invalid HTTP response"))
      << oversize.result.error().message;
  const TimedResult after = call("after");
  EXPECT_TRUE(after.result.ok()) << describe(after.result);
}

// A Content-Length a server (or a connection cut inside the headers) got wrong is the server's
// fault: a BadResponse or Unavailable error, never an exception escaping as Internal.
TEST_F(TransportFaultTest, MalformedContentLengthIsNotAnInternalError) {
  for (const char* length : {"-5", "abc", "99999999999999999999", "1e3", " "}) {
    standin().script({.headers = {{"Content-Length", length}}, .content = "reply"});
    const TimedResult plain = call("content-length");
    if (!plain.result.ok()) {
      expectCleanEnd(plain, {ErrorKind::BadResponse, ErrorKind::Unavailable});
      EXPECT_NE(plain.result.error().kind, ErrorKind::Internal) << "Content-Length: " << length;
    }
    const TimedResult healthy = call("healthy");
    EXPECT_TRUE(healthy.result.ok()) << describe(healthy.result);
  }
}

// --- Content that is not what a client expects ---------------------------------------------------

// Invalid UTF-8 in the reply is handed over verbatim: the plugin is a transport and must not
// guess; the CLI is where text meets a terminal or JSON (see CliFaultTest).
TEST_F(TransportFaultTest, InvalidUtf8ContentIsPassedThroughVerbatim) {
  const std::string invalid = "bad \xff\xfe bytes \xc3( and \xed\xa0\x80 surrogate";
  standin().script({.content = invalid});
  const TimedResult plain = call("invalid utf-8");
  ASSERT_TRUE(plain.result.ok()) << describe(plain.result);
  EXPECT_EQ(plain.result.output().text, invalid);
  expectCleanEnd(plain);

  standin().script({.streamChunks = {"bad \xff", "\xfe and \xc3", "( split"}});
  const TimedResult streamed = call("invalid utf-8", true);
  ASSERT_TRUE(streamed.result.ok()) << describe(streamed.result);
  EXPECT_EQ(streamed.result.output().text, "bad \xff\xfe and \xc3( split");
  expectCleanEnd(streamed);
}

TEST_F(TransportFaultTest, ThousandsOfTinySseFramesAllArrive) {
  const std::size_t frames = static_cast<std::size_t>(envNumber("FAULTS_TINY_FRAMES", 5000));
  std::vector<std::string> chunks;
  std::string expected;
  for (std::size_t i = 0; i < frames; ++i) {
    chunks.push_back(std::string(1, static_cast<char>('a' + i % 26)));
    expected += chunks.back();
  }
  makeHost({{"BITROUTER_TIMEOUT_MS", "30000"}});
  standin().script({.streamChunks = chunks, .frameDelay = milliseconds(0)});
  const TimedResult streamed = call("tiny frames", true);
  ASSERT_TRUE(streamed.result.ok()) << describe(streamed.result);
  EXPECT_EQ(streamed.result.output().text, expected);
  EXPECT_EQ(streamed.streamed, expected);
  EXPECT_EQ(streamed.chunks, frames);
  expectCleanEnd(streamed);
}

// --- After all that, the same host still works ---------------------------------------------------

TEST_F(TransportFaultTest, AServerClosingWhileTheBodyIsWrittenIsAnErrorValueNotASigpipe) {
  // A separate process that keeps SIGPIPE's default action, as an embedding application may:
  // a SIGPIPE would kill it (exit 128 + 13) instead of the call returning an error.
  // Plain sockets and TLS (OpenSSL writes with write(2), which has no MSG_NOSIGNAL).
  for (const std::string scheme : {"http", "https"}) {
    for (const std::string mode : {"sync", "async"}) {
      const ProcessResult result =
          runProcess(SIGPIPE_EMBEDDING_EXE, {pluginsDir_.path().string(), mode, scheme}, {});
      EXPECT_EQ(result.exitCode, 0)
          << scheme << " " << mode << ": exit " << result.exitCode
          << (result.exitCode == 128 + SIGPIPE ? " (killed by SIGPIPE)" : "") << "\n"
          << result.out << result.err;
      EXPECT_TRUE(contains(result.out, "error value: unavailable"))
          << scheme << " " << mode << ": " << result.out;
    }
  }
}

TEST_F(TransportFaultTest, TheHostStillServesAfterEveryFault) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "1500"}, {"BITROUTER_MAX_RETRIES", "0"}});
  const std::vector<ResponseScript> faults = {
      {.dropBeforeHeaders = true},
      {.dropMidBody = true},
      {.neverAnswer = true},
      {.body = std::string(50000, '{')},
      {.status = 503},
      {.streamChunks = {"x", "y"}, .cutAfterFrames = 1},
  };
  for (const ResponseScript& fault : faults) {
    standin().script(fault);
    expectCleanEnd(call("fault", !fault.streamChunks.empty()));
    const TimedResult healthy = call("healthy");
    ASSERT_TRUE(healthy.result.ok()) << describe(healthy.result);
  }
}

}  // namespace
}  // namespace agent::faults
