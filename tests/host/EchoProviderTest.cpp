// The echo plugin, loaded as users load it: from a plugins directory, through the host.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "agent/host/AgentHost.hpp"
#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using enum ModelType;

class EchoProviderTest : public ::testing::Test {
 protected:
  AgentHost& load(test::EnvMap env) {
    host_.reset();
    HostOptions options;
    options.pluginsDirectory = dir_.path();
    options.environment = test::mapEnvironment(std::move(env));
    options.logStream = &log_;
    host_ = std::make_unique<AgentHost>(std::move(options));
    return *host_;
  }

  void SetUp() override { dir_.copy(ECHO_PLUGIN, "echo.so"); }

  test::TempDir dir_;
  std::ostringstream log_;
  std::unique_ptr<AgentHost> host_;
};

TEST_F(EchoProviderTest, IsOptIn) {
  auto& host = load({});
  ASSERT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.plugins()[0].status, PluginReport::Status::Disabled);
  EXPECT_EQ(host.plugins()[0].autoEnableKeys, (std::vector<std::string>{"ECHO_PROVIDER"}));
  EXPECT_EQ(host.runtime().useModel(TextSmall, test::withPrompt("x")).error().kind,
            ErrorKind::NoProvider);
}

TEST_F(EchoProviderTest, RegistersTheSevenTextTypes) {
  auto& host = load({{"ECHO_PROVIDER", "1"}});
  const auto& plugin = host.plugins()[0];
  ASSERT_EQ(plugin.status, PluginReport::Status::Loaded) << plugin.reason;
  EXPECT_EQ(plugin.name, "echo");
  EXPECT_EQ(plugin.priority, 0);
  EXPECT_EQ(plugin.modelTypes, (std::vector<ModelType>{TextNano, TextSmall, TextMedium, TextLarge,
                                                       TextMega, ResponseHandler, ActionPlanner}));
  EXPECT_TRUE(host.registry().ranked(TextEmbedding).empty());
}

TEST_F(EchoProviderTest, PriorityComesFromEchoPriority) {
  auto& host = load({{"ECHO_PROVIDER", "1"}, {"ECHO_PRIORITY", "12"}});
  EXPECT_EQ(host.plugins()[0].priority, 12);
  EXPECT_EQ(host.registry().ranked(TextMega)[0].priority, 12);
}

TEST_F(EchoProviderTest, EchoesThePromptWithEstimatedUsage) {
  auto& host = load({{"ECHO_PROVIDER", "yes"}});
  const auto result = host.runtime().useModel(TextSmall, test::withPrompt("hello world"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "echo: hello world");
  EXPECT_EQ(result.output().model, "echo-1");
  EXPECT_EQ(result.output().finishReason, "stop");
  EXPECT_TRUE(result.output().usage.estimated);
  EXPECT_EQ(result.output().usage.promptTokens, 3);      // 11 characters
  EXPECT_EQ(result.output().usage.completionTokens, 5);  // 17 characters
  EXPECT_EQ(result.output().usage.totalTokens, 8);
}

TEST_F(EchoProviderTest, EmitsModelUsedNamingTheServedType) {
  auto& host = load({{"ECHO_PROVIDER", "1"}});
  std::vector<ModelUsedEvent> events;
  host.events().subscribe([&events](const ModelUsedEvent& e) { events.push_back(e); });
  ASSERT_TRUE(host.runtime().useModel(ResponseHandler, test::withPrompt("hi")).ok());
  host.events().flush();  // events are delivered off the call's thread
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].provider, "echo");
  EXPECT_EQ(events[0].type, ResponseHandler);
  EXPECT_EQ(events[0].model, "echo-1");
  EXPECT_EQ(events[0].tokens.totalTokens, 1 + 2);  // "hi" and "echo: hi", 4 characters a token
  EXPECT_TRUE(events[0].tokens.estimated);
}

TEST_F(EchoProviderTest, StreamsInSeveralChunks) {
  auto& host = load({{"ECHO_PROVIDER", "1"}});
  std::vector<std::string> chunks;
  GenerateTextParams params = test::withPrompt("one two three four five");
  params.stream = true;
  params.onChunk = [&chunks](std::string_view chunk) {
    chunks.emplace_back(chunk);
    return true;
  };
  const auto result = host.runtime().useModel(TextSmall, std::move(params));
  ASSERT_TRUE(result.ok());
  EXPECT_GT(chunks.size(), 1u);
  std::string joined;
  for (const auto& chunk : chunks)
    joined += chunk;
  EXPECT_EQ(joined, result.output().text);
}

TEST_F(EchoProviderTest, StreamCancelEndsTheCallAsCancelled) {
  auto& host = load({{"ECHO_PROVIDER", "1"}});
  int calls = 0;
  GenerateTextParams params = test::withPrompt("one two three four five");
  params.stream = true;
  params.onChunk = [&calls](std::string_view) { return ++calls < 2; };
  const auto result = host.runtime().useModel(TextSmall, std::move(params));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Cancelled);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(result.error().partialText, "echo: one");  // the first chunk only
}

TEST_F(EchoProviderTest, ThrowingCallbackBecomesAnError) {
  auto& host = load({{"ECHO_PROVIDER", "1"}});
  GenerateTextParams params = test::withPrompt("x");
  params.stream = true;
  params.onChunk = [](std::string_view) -> bool { throw std::runtime_error("callback broke"); };
  const auto result = host.runtime().useModel(TextSmall, std::move(params));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Internal);
  EXPECT_NE(result.error().message.find("callback broke"), std::string::npos);
}

TEST_F(EchoProviderTest, WithoutStreamTheCallbackIsNotCalled) {
  auto& host = load({{"ECHO_PROVIDER", "1"}});
  bool called = false;
  GenerateTextParams params = test::withPrompt("x");
  params.onChunk = [&called](std::string_view) { return called = true; };
  ASSERT_TRUE(host.runtime().useModel(TextSmall, std::move(params)).ok());
  EXPECT_FALSE(called);
}

TEST_F(EchoProviderTest, MaxTokensCutsTheReply) {
  auto& host = load({{"ECHO_PROVIDER", "1"}, {"DEFAULT_MAX_TOKENS", "2"}});
  const auto result = host.runtime().useModel(TextSmall, test::withPrompt("a long prompt"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.output().text, "echo: a ");  // 2 tokens = 8 characters
  EXPECT_EQ(result.output().finishReason, "length");
}

TEST_F(EchoProviderTest, FailWithMakesEveryCallFail) {
  auto& host = load({{"ECHO_PROVIDER", "1"}, {"ECHO_FAIL_WITH", "rate_limited"}});
  const auto result = host.runtime().useModel(TextSmall, test::withPrompt("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::RateLimited);
  EXPECT_TRUE(result.error().retryable);
}

TEST_F(EchoProviderTest, UnknownFailWithFailsInit) {
  auto& host = load({{"ECHO_PROVIDER", "1"}, {"ECHO_FAIL_WITH", "sometimes"}});
  EXPECT_EQ(host.plugins()[0].status, PluginReport::Status::Skipped);
  EXPECT_NE(host.plugins()[0].reason.find("init failed: ECHO_FAIL_WITH"), std::string::npos)
      << host.plugins()[0].reason;
}

TEST_F(EchoProviderTest, UsesTheLastMessageWhenGivenAConversation) {
  auto& host = load({{"ECHO_PROVIDER", "1"}});
  GenerateTextParams params;
  for (const auto& [role, content] :
       {std::pair{"system", "be brief"}, std::pair{"user", "from messages"}}) {
    ChatMessage message;
    message.role = role;
    message.content = content;
    params.messages.push_back(message);
  }
  EXPECT_EQ(host.runtime().useModel(TextSmall, std::move(params)).output().text,
            "echo: from messages");
}

}  // namespace
}  // namespace agent::host
