#include "agent/host/AgentRuntime.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "agent/host/Logger.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/Settings.hpp"
#include "support/FakeProvider.hpp"
#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using test::FakeProvider;
using enum ModelType;

// A runtime over a registry of fakes, with settings from a character and a map environment.
class AgentRuntimeTest : public ::testing::Test {
 protected:
  void configure(test::EnvMap env, Character character = {}) {
    settings_ = std::make_unique<Settings>(std::move(character), test::mapEnvironment(env));
    runtime_ = std::make_unique<AgentRuntime>(*settings_, registry_, logger_);
  }

  std::shared_ptr<FakeProvider> add(const std::string& name, std::vector<ModelType> types,
                                    int priority = 0) {
    auto provider = std::make_shared<FakeProvider>(name, types);
    for (ModelType type : types)
      registry_.registerModel(type, provider, name, priority);
    return provider;
  }

  void SetUp() override { configure({}); }

  std::ostringstream log_;
  Logger logger_{log_, LogLevel::Debug};
  ModelRegistry registry_;
  std::unique_ptr<Settings> settings_;
  std::unique_ptr<AgentRuntime> runtime_;
};

TEST_F(AgentRuntimeTest, CallsTheBestProvider) {
  add("low", {TextSmall}, 0);
  add("high", {TextSmall}, 5);
  CallInfo info;
  const auto result = runtime_->useModel(TextSmall, test::withPrompt("hi"), std::nullopt, &info);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.output().text, "high/TEXT_SMALL: hi");
  EXPECT_EQ(info.provider, "high");
  EXPECT_EQ(info.servedAs, TextSmall);
  EXPECT_EQ(info.attempts, 1);
}

TEST_F(AgentRuntimeTest, FallbackHandlerSeesItsOwnType) {
  auto small = add("p", {TextSmall});
  CallInfo info;
  const auto result =
      runtime_->useModel(ResponseHandler, test::withPrompt("x"), std::nullopt, &info);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(info.servedAs, TextSmall);
  ASSERT_EQ(small->calls().size(), 1u);
  EXPECT_EQ(small->calls()[0].type, TextSmall);
}

TEST_F(AgentRuntimeTest, NoTextProviderAtAllIsNoProvider) {
  add("embedder", {TextEmbedding});
  const auto result = runtime_->useModel(TextSmall, test::withPrompt("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::NoProvider);
  EXPECT_NE(result.error().message.find("no LLM provider configured"), std::string::npos);
}

TEST_F(AgentRuntimeTest, MissingTypeIsNoHandlerWithElizaMessage) {
  add("p", {TextSmall});
  const auto result = runtime_->useModel(TextEmbedding, test::withPrompt("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::NoHandler);
  EXPECT_EQ(result.error().message.rfind("No handler found for delegate type: TEXT_EMBEDDING", 0),
            0u)
      << result.error().message;
  EXPECT_NE(result.error().message.find("agent-host providers"), std::string::npos);
}

TEST_F(AgentRuntimeTest, NonTextTypeWithNoProvidersIsNoHandler) {
  const auto result = runtime_->useModel(TextEmbedding, test::withPrompt("x"));
  EXPECT_EQ(result.error().kind, ErrorKind::NoHandler);
}

TEST_F(AgentRuntimeTest, MegaWithOnlySmallIsNoHandler) {
  add("p", {TextSmall});
  const auto result = runtime_->useModel(TextMega, test::withPrompt("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::NoHandler);
  EXPECT_NE(result.error().message.find("TEXT_MEGA"), std::string::npos);
}

TEST_F(AgentRuntimeTest, UnknownExplicitProviderIsNoHandlerNotAnotherProvider) {
  auto other = add("other", {TextSmall});
  CallInfo info;
  const auto result = runtime_->useModel(TextSmall, test::withPrompt("x"), "nobody", &info);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::NoHandler);
  EXPECT_NE(result.error().message.find("'nobody'"), std::string::npos);
  EXPECT_TRUE(other->calls().empty());
  EXPECT_EQ(info.provider, "nobody");
}

TEST_F(AgentRuntimeTest, ExplicitProviderIsUsed) {
  add("top", {TextSmall}, 10);
  auto low = add("low", {TextSmall}, 0);
  CallInfo info;
  ASSERT_TRUE(runtime_->useModel(TextSmall, test::withPrompt("x"), "low", &info).ok());
  EXPECT_EQ(info.provider, "low");
  EXPECT_EQ(low->calls().size(), 1u);
}

TEST_F(AgentRuntimeTest, HandlerFailureIsReturnedUnchangedWithoutFailover) {
  auto first = add("first", {TextSmall}, 5);
  auto second = add("second", {TextSmall}, 0);
  first->failWith(ErrorKind::Unavailable);
  CallInfo info;
  const auto result = runtime_->useModel(TextSmall, test::withPrompt("x"), std::nullopt, &info);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable);
  EXPECT_EQ(result.error().message, "first failed");
  EXPECT_EQ(info.provider, "first");
  EXPECT_TRUE(second->calls().empty());
}

TEST_F(AgentRuntimeTest, FailoverMovesOnForRetryableKinds) {
  configure({{"MODEL_FAILOVER", "true"}});
  for (ErrorKind kind : {ErrorKind::RateLimited, ErrorKind::Unavailable, ErrorKind::Timeout}) {
    ModelRegistry fresh;
    AgentRuntime runtime(*settings_, fresh, logger_);
    auto first = std::make_shared<FakeProvider>("first");
    auto second = std::make_shared<FakeProvider>("second");
    first->failWith(kind);
    fresh.registerModel(TextSmall, first, "first", 5);
    fresh.registerModel(TextSmall, second, "second", 0);
    CallInfo info;
    const auto result = runtime.useModel(TextSmall, test::withPrompt("x"), std::nullopt, &info);
    ASSERT_TRUE(result.ok()) << toString(kind);
    EXPECT_EQ(result.output().text, "second/TEXT_SMALL: x");
    EXPECT_EQ(info.provider, "second");
    EXPECT_EQ(info.attempts, 2);
  }
  EXPECT_NE(log_.str().find("MODEL_FAILOVER: trying second"), std::string::npos) << log_.str();
}

TEST_F(AgentRuntimeTest, FailoverStopsAtNonRetryableKinds) {
  configure({{"MODEL_FAILOVER", "true"}});
  auto first = add("first", {TextSmall}, 5);
  auto second = add("second", {TextSmall}, 0);
  first->failWith(ErrorKind::Auth);
  const auto result = runtime_->useModel(TextSmall, test::withPrompt("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Auth);
  EXPECT_TRUE(second->calls().empty());
}

TEST_F(AgentRuntimeTest, FailoverReturnsTheLastErrorWhenEveryoneFails) {
  configure({{"MODEL_FAILOVER", "TRUE"}});
  add("first", {TextSmall}, 5)->failWith(ErrorKind::Unavailable);
  add("second", {TextSmall}, 0)->failWith(ErrorKind::RateLimited);
  CallInfo info;
  const auto result = runtime_->useModel(TextSmall, test::withPrompt("x"), std::nullopt, &info);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::RateLimited);
  EXPECT_EQ(info.provider, "second");
  EXPECT_EQ(info.attempts, 2);
}

TEST_F(AgentRuntimeTest, FailoverWalksTheFallbackChain) {
  configure({{"MODEL_FAILOVER", "true"}});
  add("nano", {TextNano})->failWith(ErrorKind::Timeout);
  add("small", {TextSmall});
  CallInfo info;
  const auto result = runtime_->useModel(TextNano, test::withPrompt("x"), std::nullopt, &info);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(info.provider, "small");
  EXPECT_EQ(info.servedAs, TextSmall);
}

TEST_F(AgentRuntimeTest, FailoverNeverLeavesAnExplicitProvider) {
  configure({{"MODEL_FAILOVER", "true"}});
  add("chosen", {TextSmall}, 5)->failWith(ErrorKind::Unavailable);
  auto other = add("other", {TextSmall}, 0);
  const auto result = runtime_->useModel(TextSmall, test::withPrompt("x"), "chosen");
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(other->calls().empty());
}

TEST_F(AgentRuntimeTest, FailoverIsOffUnlessTrue) {
  configure({{"MODEL_FAILOVER", "false"}});
  add("first", {TextSmall}, 5)->failWith(ErrorKind::Unavailable);
  auto second = add("second", {TextSmall}, 0);
  EXPECT_FALSE(runtime_->useModel(TextSmall, test::withPrompt("x")).ok());
  EXPECT_TRUE(second->calls().empty());
}

TEST_F(AgentRuntimeTest, UnknownFailoverValueFailsEveryCallInsteadOfMeaningOff) {
  configure({{"MODEL_FAILOVER", "maybe"}});
  auto first = add("first", {TextSmall}, 5);
  const auto result = runtime_->useModel(TextSmall, test::withPrompt("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Config);
  EXPECT_NE(result.error().message.find("MODEL_FAILOVER is 'maybe'"), std::string::npos);
  EXPECT_TRUE(first->calls().empty());
  EXPECT_NE(log_.str().find("MODEL_FAILOVER is 'maybe'"), std::string::npos) << log_.str();
  ASSERT_FALSE(AgentRuntime::checkSettings(*settings_).ok());
  EXPECT_NE(AgentRuntime::checkSettings(*settings_).error().message.find("yes/no"),
            std::string::npos);
}

TEST_F(AgentRuntimeTest, FailoverAcceptsEverySwitchWord) {
  add("first", {TextSmall}, 5)->failWith(ErrorKind::Unavailable);
  add("second", {TextSmall}, 0);
  for (const char* on : {"1", "yes", "ON"}) {
    configure({{"MODEL_FAILOVER", on}});
    EXPECT_TRUE(AgentRuntime::checkSettings(*settings_).ok());
    EXPECT_TRUE(runtime_->useModel(TextSmall, test::withPrompt("x")).ok()) << on;
  }
}

TEST_F(AgentRuntimeTest, FailoverDoesNotRepeatStreamedText) {
  configure({{"MODEL_FAILOVER", "true"}});
  auto first = add("first", {TextSmall}, 5);
  first->setHandler([](ModelType, const GenerateTextParams& params) -> ModelResult {
    params.onChunk("partial ");
    return makeError(ErrorKind::Unavailable, "connection dropped");
  });
  auto second = add("second", {TextSmall}, 0);
  std::string shown;
  GenerateTextParams params = test::withPrompt("x");
  params.stream = true;
  params.onChunk = [&shown](std::string_view chunk) {
    shown += chunk;
    return true;
  };
  const auto result = runtime_->useModel(TextSmall, std::move(params));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(shown, "partial ");
  EXPECT_TRUE(second->calls().empty());
}

TEST_F(AgentRuntimeTest, FailoverDoesNotRepeatADeliveredToolCallOrReasoning) {
  configure({{"MODEL_FAILOVER", "true"}});
  auto first = add("first", {TextSmall}, 5);
  first->setHandler([](ModelType, const GenerateTextParams& params) -> ModelResult {
    params.onToolCall(ToolCall{"c1", "f", "{}", ""});
    return makeError(ErrorKind::Unavailable, "connection dropped");
  });
  auto thinker = add("thinker", {TextSmall}, 3);
  auto second = add("second", {TextSmall}, 0);
  std::vector<std::string> calls;
  GenerateTextParams params = test::withPrompt("x");
  params.stream = true;
  params.onChunk = [](std::string_view) { return true; };
  params.onToolCall = [&calls](const ToolCall& call) {
    calls.push_back(call.id);
    return true;
  };
  EXPECT_FALSE(runtime_->useModel(TextSmall, params).ok());
  EXPECT_EQ(calls, std::vector<std::string>{"c1"});
  EXPECT_TRUE(thinker->calls().empty());

  first->setHandler([](ModelType, const GenerateTextParams& params) -> ModelResult {
    params.onReasoningChunk("hmm");
    return makeError(ErrorKind::Unavailable, "connection dropped");
  });
  params.onReasoningChunk = [](std::string_view) { return true; };
  EXPECT_FALSE(runtime_->useModel(TextSmall, params).ok());
  EXPECT_TRUE(thinker->calls().empty());
  EXPECT_TRUE(second->calls().empty());
}

// --- LLM_MODE ----------------------------------------------------------------------------------

TEST_F(AgentRuntimeTest, LlmModeLargeRewritesTextTiers) {
  configure({{"LLM_MODE", "large"}});
  for (ModelType type : {TextNano, TextSmall, TextMedium, TextLarge, TextMega, ResponseHandler,
                         ActionPlanner, TextCompletion}) {
    ModelType rewritten = type;
    runtime_->prepareParams(rewritten, {});
    EXPECT_EQ(rewritten, TextLarge) << toString(type);
  }
}

TEST_F(AgentRuntimeTest, LlmModeSmallRewritesTextTiers) {
  configure({{"LLM_MODE", "Small"}});
  ModelType type = TextMega;
  runtime_->prepareParams(type, {});
  EXPECT_EQ(type, TextSmall);
}

TEST_F(AgentRuntimeTest, LlmModeLeavesOtherTypesAlone) {
  configure({{"LLM_MODE", "LARGE"}});
  for (ModelType type : {TextEmbedding, TextReasoningSmall, Image}) {
    ModelType rewritten = type;
    runtime_->prepareParams(rewritten, {});
    EXPECT_EQ(rewritten, type) << toString(type);
  }
}

TEST_F(AgentRuntimeTest, LlmModeDefaultAndUnknownChangeNothing) {
  for (const char* mode : {"DEFAULT", "default", "medium"}) {
    configure({{"LLM_MODE", mode}});
    ModelType type = TextNano;
    runtime_->prepareParams(type, {});
    EXPECT_EQ(type, TextNano) << mode;
  }
  EXPECT_NE(log_.str().find("ignoring LLM_MODE"), std::string::npos);
}

TEST_F(AgentRuntimeTest, LlmModeRoutesTheCallAndReportsTheServedType) {
  configure({{"LLM_MODE", "LARGE"}});
  add("p", {TextSmall, TextLarge});
  CallInfo info;
  const auto result = runtime_->useModel(TextNano, test::withPrompt("x"), std::nullopt, &info);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(info.servedAs, TextLarge);
}

// --- <TYPE>_<PARAM> settings merge ---------------------------------------------------------------

TEST_F(AgentRuntimeTest, TypeSettingBeatsDefaultSetting) {
  configure({{"TEXT_SMALL_MAX_TOKENS", "99"},
             {"DEFAULT_MAX_TOKENS", "10"},
             {"DEFAULT_TEMPERATURE", "0.55"},
             {"DEFAULT_SEED", "7"}});
  ModelType type = TextSmall;
  const auto params = runtime_->prepareParams(type, test::withPrompt("x"));
  EXPECT_EQ(params.maxTokens, 99);
  EXPECT_EQ(params.temperature, 0.55);
  EXPECT_EQ(params.seed, 7);
  EXPECT_FALSE(params.topP);
}

TEST_F(AgentRuntimeTest, CallParamsBeatSettings) {
  configure({{"TEXT_SMALL_MAX_TOKENS", "99"}, {"DEFAULT_TEMPERATURE", "0.55"}});
  ModelType type = TextSmall;
  GenerateTextParams input = test::withPrompt("x");
  input.maxTokens = 5;
  input.temperature = 0.0;
  const auto params = runtime_->prepareParams(type, input);
  EXPECT_EQ(params.maxTokens, 5);
  EXPECT_EQ(params.temperature, 0.0);
}

TEST_F(AgentRuntimeTest, EveryParamIsMerged) {
  configure({{"DEFAULT_MAX_TOKENS", "1"},
             {"DEFAULT_TEMPERATURE", "0.1"},
             {"DEFAULT_TOP_P", "0.2"},
             {"DEFAULT_TOP_K", "3"},
             {"DEFAULT_MIN_P", "0.4"},
             {"DEFAULT_SEED", "-5"},
             {"DEFAULT_REPETITION_PENALTY", "1.1"},
             {"DEFAULT_FREQUENCY_PENALTY", "0.6"},
             {"DEFAULT_PRESENCE_PENALTY", "0.7"}});
  ModelType type = TextLarge;
  const auto params = runtime_->prepareParams(type, {});
  EXPECT_EQ(params.maxTokens, 1);
  EXPECT_EQ(params.temperature, 0.1);
  EXPECT_EQ(params.topP, 0.2);
  EXPECT_EQ(params.topK, 3.0);
  EXPECT_EQ(params.minP, 0.4);
  EXPECT_EQ(params.seed, -5);
  EXPECT_EQ(params.repetitionPenalty, 1.1);
  EXPECT_EQ(params.frequencyPenalty, 0.6);
  EXPECT_EQ(params.presencePenalty, 0.7);
}

TEST_F(AgentRuntimeTest, MergeIsKeyedByTheTypeAfterLlmMode) {
  configure({{"LLM_MODE", "LARGE"}, {"TEXT_NANO_MAX_TOKENS", "1"}, {"TEXT_LARGE_MAX_TOKENS", "2"}});
  ModelType type = TextNano;
  EXPECT_EQ(runtime_->prepareParams(type, {}).maxTokens, 2);
}

TEST_F(AgentRuntimeTest, MergeIsKeyedByTheRequestedTypeNotTheFallback) {
  configure({{"TEXT_NANO_MAX_TOKENS", "11"}, {"TEXT_SMALL_MAX_TOKENS", "22"}});
  auto small = add("p", {TextSmall});
  ASSERT_TRUE(runtime_->useModel(TextNano, test::withPrompt("x")).ok());
  ASSERT_EQ(small->calls().size(), 1u);
  EXPECT_EQ(small->calls()[0].params.maxTokens, 11);
}

TEST_F(AgentRuntimeTest, BadNumbersAreIgnoredWithAWarning) {
  configure({{"TEXT_SMALL_MAX_TOKENS", "lots"},
             {"DEFAULT_MAX_TOKENS", "8"},
             {"DEFAULT_SEED", "1.5"},
             {"DEFAULT_TEMPERATURE", ""}});
  ModelType type = TextSmall;
  const auto params = runtime_->prepareParams(type, {});
  EXPECT_EQ(params.maxTokens, 8);
  EXPECT_FALSE(params.seed);
  EXPECT_FALSE(params.temperature);
  EXPECT_NE(log_.str().find("ignoring setting TEXT_SMALL_MAX_TOKENS"), std::string::npos);
  EXPECT_NE(log_.str().find("ignoring setting DEFAULT_SEED"), std::string::npos);
  EXPECT_EQ(log_.str().find("lots"), std::string::npos) << "values are not logged";
}

TEST_F(AgentRuntimeTest, SettingsComeFromTheCharacterToo) {
  Character character;
  character.settings = {{"DEFAULT_MAX_TOKENS", "42"}};
  configure({{"DEFAULT_MAX_TOKENS", "1"}}, character);
  ModelType type = TextSmall;
  EXPECT_EQ(runtime_->prepareParams(type, {}).maxTokens, 42);
}

TEST_F(AgentRuntimeTest, UserDefaultsToTheCharacterName) {
  Character character;
  character.name = "Eliza";
  configure({}, character);
  ModelType type = TextSmall;
  EXPECT_EQ(runtime_->prepareParams(type, {}).user, "Eliza");
  GenerateTextParams own;
  own.user = "someone";
  EXPECT_EQ(runtime_->prepareParams(type, own).user, "someone");
  ModelType embedding = TextEmbedding;
  EXPECT_FALSE(runtime_->prepareParams(embedding, {}).user);
}

}  // namespace
}  // namespace agent::host
