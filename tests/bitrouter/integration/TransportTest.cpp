// The transport under the plugin: refused connections, servers that never answer or answer too
// late, connections dropped mid-exchange, and a BitRouter restarted under a kept-alive connection.
#include <string>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

using TransportTest = BitRouterIntegrationTest;

TEST_F(TransportTest, ConnectionRefusedIsRetriedThenAsksWhetherBitRouterRuns) {
  const std::string url = "http://127.0.0.1:" + std::to_string(agent::test::unusedLoopbackPort());
  makeHost({{"BITROUTER_BASE_URL", url}});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(result.ok());
  const ModelError& error = result.error();
  EXPECT_EQ(error.kind, ErrorKind::Unavailable) << describe(result);
  EXPECT_EQ(error.httpStatus, 0);
  EXPECT_TRUE(error.retryable);
  EXPECT_TRUE(contains(error.message, "is BitRouter running at " + url + "?")) << error.message;
  EXPECT_TRUE(contains(error.message, "after 3 attempts")) << error.message;
  // One warning per retry (BITROUTER_MAX_RETRIES = 2).
  EXPECT_EQ(countOf(logText(), "retrying in"), 2u) << logText();

  makeHost({{"BITROUTER_BASE_URL", url}, {"BITROUTER_MAX_RETRIES", "0"}});
  const ModelResult once = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(once.ok());
  EXPECT_FALSE(contains(once.error().message, "attempts")) << once.error().message;
}

TEST_F(TransportTest, LocalhostAndIpv6LoopbackAddressesWork) {
  makeHost({{"BITROUTER_BASE_URL", "http://localhost:" + std::to_string(standin().port())}});
  ModelResult result = call(ModelType::TextSmall, "via localhost");
  EXPECT_TRUE(result.ok()) << describe(result);
  makeHost({{"BITROUTER_BASE_URL", "HTTP://127.0.0.1:" + std::to_string(standin().port())}});
  result = call(ModelType::TextSmall, "upper-case scheme");
  EXPECT_TRUE(result.ok()) << describe(result);

  standin::StandinOptions options;
  options.host = "::1";
  restartStandin(options);
  ASSERT_TRUE(contains(standin().baseUrl(), "[::1]")) << standin().baseUrl();
  makeHost();  // BITROUTER_BASE_URL = http://[::1]:<port>
  result = call(ModelType::TextSmall, "via ipv6");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "Stand-in reply from gpt-4o-mini: via ipv6");
}

TEST_F(TransportTest, InitWithBitRouterDownStillLoadsThePlugin) {
  const std::string url = "http://127.0.0.1:" + std::to_string(agent::test::unusedLoopbackPort());
  makeHost({{"BITROUTER_BASE_URL", url}, {"BITROUTER_API_KEY", std::string(kValidKey)}});
  const host::PluginReport* plugin = report("bitrouter");
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->status, host::PluginReport::Status::Loaded) << plugin->reason;
  EXPECT_TRUE(waitForLog("not reachable at " + url)) << logText();
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable) << describe(result);
}

TEST_F(TransportTest, InitProbesTheModelListAndWarnsAboutAnUnknownModel) {
  makeHost({{"BITROUTER_API_KEY", std::string(kValidKey)},
            {"BITROUTER_LARGE_MODEL", "not-in-the-catalog"}});
  ASSERT_TRUE(waitForLog("'not-in-the-catalog'")) << logText();
  bool probed = false;
  for (const auto& request : standin().requests()) {
    probed |= request.method == "GET" && request.path == "/v1/models";
  }
  EXPECT_TRUE(probed);
  EXPECT_TRUE(contains(logText(), "BitRouter reachable at")) << logText();
  EXPECT_TRUE(contains(logText(), "'not-in-the-catalog'")) << logText();
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

TEST_F(TransportTest, ServerThatNeverAnswersTimesOutAtTheDeadline) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "300"}});
  standin().scriptRepeated({.neverAnswer = true}, 3);
  const auto start = Clock::now();
  const ModelResult result = call(ModelType::TextSmall, "hi");
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout) << describe(result);
  EXPECT_TRUE(contains(result.error().message, "BITROUTER_TIMEOUT_MS")) << result.error().message;
  EXPECT_EQ(standin().chatRequestCount(), 1u);  // the budget is spent: no retry
  EXPECT_LT(elapsed, milliseconds(1500));       // 5x the deadline: it did not hang
}

TEST_F(TransportTest, HeadersLaterThanTheDeadlineTimeOut) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "300"}});
  // Late enough to miss the deadline, soon enough to land while the next call is in flight.
  standin().scriptRepeated({.delayBeforeHeaders = milliseconds(600)}, 3);
  const auto start = Clock::now();
  const ModelResult result = call(ModelType::TextSmall, "hi");
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout) << describe(result);
  EXPECT_EQ(standin().chatRequestCount(), 1u);
  EXPECT_LT(elapsed, milliseconds(1500));

  // The late answer is still due on the abandoned connection: the next call must not read it.
  standin().clearScripts();
  const ModelResult next = call(ModelType::TextSmall, "next");
  ASSERT_TRUE(next.ok()) << describe(next);
  EXPECT_EQ(next.output().text, "Stand-in reply from gpt-4o-mini: next");
}

TEST_F(TransportTest, SlowHeadersWithinTheDeadlineAreFine) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "10000"}});
  standin().script({.delayBeforeHeaders = milliseconds(200)});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
}

TEST_F(TransportTest, ConnectionClosedWithoutAnAnswerIsNotRetried) {
  makeHost();
  standin().scriptRepeated({.dropBeforeHeaders = true}, 3);
  const ModelResult result = call(ModelType::TextSmall, "hi");
  standin().clearScripts();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable) << describe(result);
  // The request was sent, so BitRouter may still run (and bill) it: never replayed.
  EXPECT_EQ(standin().chatRequestCount(), 1u);
  EXPECT_TRUE(contains(result.error().message, "without answering")) << result.error().message;
}

TEST_F(TransportTest, ConnectionClosedAfterReadingTheRequestIsNotReplayedOnAReusedConnection) {
  // The same fault on a kept-alive connection. The stand-in read the whole request before it
  // closed, so BitRouter may be running (and billing) it: sending it again would bill twice
  // (contract 9: transport errors are retried only for idempotent requests; a chat POST is not).
  makeHost();
  ASSERT_TRUE(call(ModelType::TextSmall, "warm up the connection").ok());
  standin().resetRecords();
  standin().scriptRepeated({.dropBeforeHeaders = true}, 3);
  const ModelResult result = call(ModelType::TextSmall, "hi");
  standin().clearScripts();
  EXPECT_FALSE(result.ok()) << describe(result);
  EXPECT_EQ(standin().chatRequestCount(), 1u) << "the chat request was sent more than once";
}

TEST_F(TransportTest, BodyCutShortIsAnErrorAndNotRetried) {
  makeHost();
  standin().scriptRepeated({.dropMidBody = true}, 3);
  const ModelResult result = call(ModelType::TextSmall, "hi");
  standin().clearScripts();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable) << describe(result);
  EXPECT_TRUE(contains(result.error().message, "BitRouter closed the connection after "))
      << result.error().message;
  EXPECT_TRUE(contains(result.error().message, "bytes of its response body")) << describe(result);
  EXPECT_EQ(standin().chatRequestCount(), 1u);
  const ModelResult next = call(ModelType::TextSmall, "hi");
  EXPECT_TRUE(next.ok()) << describe(next);
}

TEST_F(TransportTest, BitRouterRestartedUnderAKeptAliveConnectionIsSurvived) {
  makeHost();
  ASSERT_TRUE(call(ModelType::TextSmall, "before").ok());
  // stop() closes every open connection, including the one the plugin keeps in its pool.
  standin().stop();
  const ModelResult down = call(ModelType::TextSmall, "while down");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().kind, ErrorKind::Unavailable) << describe(down);
  EXPECT_TRUE(contains(down.error().message, "is BitRouter running at")) << down.error().message;

  standin().start();  // same port
  const ModelResult after = call(ModelType::TextSmall, "after");
  ASSERT_TRUE(after.ok()) << describe(after);
  EXPECT_EQ(after.output().text, "Stand-in reply from gpt-4o-mini: after");
  EXPECT_EQ(standin().chatRequestCount(), 2u);  // "while down" never arrived; nothing doubled
}

}  // namespace
}  // namespace agent::bitrouter::integration
