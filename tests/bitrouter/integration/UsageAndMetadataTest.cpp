// What the BitRouter plugin tells the host beyond the text: the usage details BitRouter passes on
// (cached, cache-creation and reasoning tokens; absent when not sent, never zero), the completion's
// id and model, the time to the first streamed chunk, and its registration metadata.
#include <optional>
#include <string>

#include "IntegrationSupport.hpp"
#include "agent/host/ModelRegistry.hpp"

namespace agent::bitrouter::integration {
namespace {

class UsageAndMetadataTest : public BitRouterIntegrationTest {
 protected:
  ModelResult streamed(std::string prompt) {
    GenerateTextParams params = withPrompt(std::move(prompt));
    params.stream = true;
    params.onChunk = [](std::string_view) { return true; };
    return call(ModelType::TextSmall, std::move(params));
  }
};

TEST_F(UsageAndMetadataTest, UsageDetailsAreReadWhenSent) {
  makeHost();
  standin().script({.cachedTokens = 7, .cacheCreationTokens = 3, .reasoningTokens = 11});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  const TokenUsage& usage = result.output().usage;
  EXPECT_FALSE(usage.estimated);
  EXPECT_EQ(usage.cacheReadInputTokens, 7);
  EXPECT_EQ(usage.cacheCreationInputTokens, 3);
  EXPECT_EQ(usage.reasoningTokens, 11);
  const auto events = modelUsed();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].tokens.cacheReadInputTokens, 7);
  EXPECT_EQ(events[0].tokens.reasoningTokens, 11);
}

TEST_F(UsageAndMetadataTest, UsageDetailsNotSentStayAbsent) {
  makeHost();
  standin().script({.cachedTokens = 0});  // zero is a count BitRouter sent: kept as zero
  const ModelResult sent = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(sent.ok()) << describe(sent);
  EXPECT_EQ(sent.output().usage.cacheReadInputTokens, 0);
  EXPECT_FALSE(sent.output().usage.cacheCreationInputTokens.has_value());
  EXPECT_FALSE(sent.output().usage.reasoningTokens.has_value());

  const ModelResult plain = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(plain.ok()) << describe(plain);
  EXPECT_FALSE(plain.output().usage.cacheReadInputTokens.has_value());
  EXPECT_FALSE(plain.output().usage.cacheCreationInputTokens.has_value());
  EXPECT_FALSE(plain.output().usage.reasoningTokens.has_value());
}

TEST_F(UsageAndMetadataTest, StreamedUsageDetailsAreReadToo) {
  makeHost();
  standin().script({.cachedTokens = 5, .reasoningTokens = 9, .streamUsage = true});
  const ModelResult result = streamed("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  const TokenUsage& usage = result.output().usage;
  EXPECT_FALSE(usage.estimated);
  EXPECT_EQ(usage.cacheReadInputTokens, 5);
  EXPECT_FALSE(usage.cacheCreationInputTokens.has_value());
  EXPECT_EQ(usage.reasoningTokens, 9);

  standin().script({.streamUsage = true});  // usage without details
  const ModelResult plain = streamed("hi");
  ASSERT_TRUE(plain.ok()) << describe(plain);
  EXPECT_FALSE(plain.output().usage.estimated);
  EXPECT_FALSE(plain.output().usage.cacheReadInputTokens.has_value());
  EXPECT_FALSE(plain.output().usage.reasoningTokens.has_value());
}

TEST_F(UsageAndMetadataTest, TheCompletionsIdAndModelAreKept) {
  makeHost();
  const ModelResult plain = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(plain.ok()) << describe(plain);
  EXPECT_FALSE(plain.output().responseId.empty());
  EXPECT_EQ(plain.output().responseModel, plain.output().model);
  EXPECT_FALSE(plain.output().timeToFirstChunk.has_value());  // not a stream

  const ModelResult stream = streamed("hi");
  ASSERT_TRUE(stream.ok()) << describe(stream);
  EXPECT_FALSE(stream.output().responseId.empty());
  EXPECT_NE(stream.output().responseId, plain.output().responseId);
  EXPECT_EQ(stream.output().responseModel, stream.output().model);
  const auto events = modelUsed();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].responseId, stream.output().responseId);
  EXPECT_EQ(events[1].responseModel, stream.output().model);
}

TEST_F(UsageAndMetadataTest, AStreamReportsTheTimeToItsFirstChunk) {
  makeHost();
  standin().script({.delayBeforeHeaders = std::chrono::milliseconds(60)});
  const ModelResult result = streamed("hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  ASSERT_TRUE(result.output().timeToFirstChunk.has_value());
  EXPECT_GE(result.output().timeToFirstChunk->count(), 60);
  const auto events = modelUsed();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].timeToFirstChunk, result.output().timeToFirstChunk);
}

TEST_F(UsageAndMetadataTest, RegistrationsCarryTheConfiguredModelAndTheServer) {
  makeHost({{"BITROUTER_LARGE_MODEL", "openai:gpt-5"}});
  const auto registrations = host().registry().getModelRegistrations();
  ASSERT_EQ(registrations.size(), 7u);
  for (const auto& row : registrations) {
    SCOPED_TRACE(std::string(toString(row.type)));
    EXPECT_EQ(row.provider, "bitrouter");
    EXPECT_EQ(row.metadata.streamable, true);
    EXPECT_FALSE(row.metadata.local.has_value());
    EXPECT_EQ(row.metadata.serverAddress, "127.0.0.1");
    EXPECT_EQ(row.metadata.serverPort, standin().port());
    const bool large = row.type == ModelType::TextLarge || row.type == ModelType::TextMega;
    if (large) {
      EXPECT_EQ(row.metadata.displayModel, "openai:gpt-5");
    }
    if (row.type == ModelType::TextSmall) {
      EXPECT_EQ(row.metadata.displayModel, "gpt-4o-mini");
    }
  }
  ASSERT_TRUE(call(ModelType::TextSmall, "hi").ok());
  const auto events = modelUsed();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].serverAddress, "127.0.0.1");
  EXPECT_EQ(events[0].serverPort, standin().port());
  EXPECT_TRUE(events[0].trace.valid());
}

}  // namespace
}  // namespace agent::bitrouter::integration
