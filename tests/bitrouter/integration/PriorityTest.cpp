// BITROUTER_PRIORITY against another real provider (the echo plugin), explicit provider choice,
// and MODEL_FAILOVER from a failing BitRouter to the next-ranked provider.
#include <string>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

class PriorityTest : public BitRouterIntegrationTest {
 protected:
  void makeHostWithEcho(EnvMap overrides) {
    overrides["ECHO_PROVIDER"] = "1";
    makeHost(overrides, Plugins::BitRouterAndEcho);
    ASSERT_NE(report("bitrouter"), nullptr);
    ASSERT_NE(report("echo"), nullptr);
    ASSERT_EQ(report("bitrouter")->status, host::PluginReport::Status::Loaded);
    ASSERT_EQ(report("echo")->status, host::PluginReport::Status::Loaded);
  }

  // Calls TEXT_SMALL (optionally on an explicit provider) and checks who served it.
  void expectServedBy(std::string_view provider,
                      std::optional<std::string_view> explicitProvider = std::nullopt) {
    standin().resetRecords();
    host::CallInfo info;
    const ModelResult result =
        call(ModelType::TextSmall, withPrompt("Say hello"), explicitProvider, &info);
    ASSERT_TRUE(result.ok()) << describe(result);
    EXPECT_EQ(info.provider, provider);
    ASSERT_FALSE(modelUsed().empty());
    EXPECT_EQ(modelUsed().back().provider, provider);
    if (provider == "bitrouter") {
      EXPECT_EQ(result.output().text, "Stand-in reply from gpt-4o-mini: Say hello");
      EXPECT_EQ(standin().chatRequestCount(), 1u);
    } else {
      EXPECT_EQ(result.output().text, "echo: Say hello");
      EXPECT_EQ(standin().chatRequestCount(), 0u);
    }
  }
};

TEST_F(PriorityTest, HigherBitRouterPriorityWins) {
  makeHostWithEcho({{"BITROUTER_PRIORITY", "5"}});
  EXPECT_EQ(report("bitrouter")->priority, 5);
  const auto ranked = host().registry().ranked(ModelType::TextSmall);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].providerName, "bitrouter");
  expectServedBy("bitrouter");
  expectServedBy("echo", "echo");
}

TEST_F(PriorityTest, HigherEchoPriorityWins) {
  makeHostWithEcho({{"BITROUTER_PRIORITY", "5"}, {"ECHO_PRIORITY", "10"}});
  expectServedBy("echo");
  expectServedBy("bitrouter", "bitrouter");
}

TEST_F(PriorityTest, TieGoesToTheEarlierFileName) {
  // bitrouter.so sorts before echo.so, so it registered first.
  makeHostWithEcho({});
  expectServedBy("bitrouter");
  expectServedBy("echo", "echo");
}

TEST_F(PriorityTest, NonNumericPriorityWarnsAndUsesZero) {
  makeHostWithEcho({{"BITROUTER_PRIORITY", "high"}, {"ECHO_PRIORITY", "1"}});
  EXPECT_EQ(report("bitrouter")->priority, 0);
  EXPECT_TRUE(contains(logText(), "BITROUTER_PRIORITY is not a number")) << logText();
  expectServedBy("echo");
}

TEST_F(PriorityTest, FailoverMovesAFailingBitRouterCallToEcho) {
  makeHostWithEcho({{"BITROUTER_PRIORITY", "5"}, {"MODEL_FAILOVER", "true"}});
  standin().scriptRepeated({.status = 503}, 3);
  host::CallInfo info;
  const ModelResult result = call(ModelType::TextSmall, withPrompt("Say hello"), {}, &info);
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "echo: Say hello");
  EXPECT_EQ(info.provider, "echo");
  EXPECT_EQ(info.attempts, 2);
  EXPECT_EQ(standin().chatRequestCount(), 3u);  // the plugin's own retries came first
  ASSERT_EQ(modelUsed().size(), 1u);
  EXPECT_EQ(modelUsed()[0].provider, "echo");
}

TEST_F(PriorityTest, FailoverAfterStreamedTextNeverHappens) {
  makeHostWithEcho({{"BITROUTER_PRIORITY", "5"}, {"MODEL_FAILOVER", "true"}});
  std::string shown;
  GenerateTextParams params = withPrompt("Say hello");
  params.stream = true;
  params.onChunk = [&shown](std::string_view chunk) {
    shown += chunk;
    return true;
  };

  // Text already reached the caller: another provider's answer cannot replace it.
  standin().script({.streamChunks = {"Hel", "lo"},
                    .errorAfterFrames = 1,
                    .streamErrorCode = "upstream_unavailable"});
  ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable) << describe(result);
  EXPECT_EQ(result.error().partialText, "Hel");
  EXPECT_EQ(shown, "Hel");

  // The same failure before any text: failover may move on.
  shown.clear();
  standin().script({.streamChunks = {"Hel", "lo"},
                    .errorAfterFrames = 0,
                    .streamErrorCode = "upstream_unavailable"});
  host::CallInfo info;
  result = call(ModelType::TextSmall, params, {}, &info);
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(info.provider, "echo");
  EXPECT_EQ(result.output().text, "echo: Say hello");
  EXPECT_EQ(shown, "echo: Say hello");
}

TEST_F(PriorityTest, NoFailoverByDefaultOrForNonRetryableErrors) {
  makeHostWithEcho({{"BITROUTER_PRIORITY", "5"}, {"MODEL_FAILOVER", "false"}});
  standin().scriptRepeated({.status = 503}, 3);
  ModelResult result = call(ModelType::TextSmall, "Say hello");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable) << describe(result);
  EXPECT_EQ(result.error().httpStatus, 503);
  EXPECT_TRUE(modelUsed().empty());

  // With failover on, a 401 still ends the call: another provider cannot fix a bad key.
  makeHostWithEcho({{"BITROUTER_PRIORITY", "5"}, {"MODEL_FAILOVER", "true"}});
  standin().script({.status = 401});
  result = call(ModelType::TextSmall, "Say hello");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Auth) << describe(result);
}

TEST_F(PriorityTest, FailoverNeverLeavesAnExplicitProvider) {
  makeHostWithEcho({{"MODEL_FAILOVER", "true"}, {"ECHO_PRIORITY", "10"}});
  standin().scriptRepeated({.status = 503}, 3);
  const ModelResult result = call(ModelType::TextSmall, withPrompt("hi"), "bitrouter");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable) << describe(result);
}

}  // namespace
}  // namespace agent::bitrouter::integration
