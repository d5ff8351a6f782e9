// The seven text tiers end to end: host -> plugin -> stand-in, with the model string each tier
// sends (defaults, SMALL/LARGE fallbacks, per-tier overrides), and MODEL_USED as subscribers see
// it.
#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <string>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

constexpr std::array<ModelType, 7> kTextTiers{
    ModelType::TextNano, ModelType::TextSmall,       ModelType::TextMedium,   ModelType::TextLarge,
    ModelType::TextMega, ModelType::ResponseHandler, ModelType::ActionPlanner};

// The stand-in's usage: a quarter of the characters, at least 1 (see tests/standin).
std::int64_t standinTokens(std::size_t chars) {
  return static_cast<std::int64_t>(std::max<std::size_t>(1, chars / 4));
}

class ModelTypesTest : public BitRouterIntegrationTest {
 protected:
  // Calls every tier once and checks the model on the wire, the reply and MODEL_USED.
  void expectTierModels(const std::map<ModelType, std::string>& expected) {
    for (const ModelType type : kTextTiers) {
      SCOPED_TRACE(std::string(toString(type)));
      const std::string& model = expected.at(type);
      const std::string prompt = "Say hello as " + std::string(toString(type));
      const std::size_t before = modelUsed().size();
      const ModelResult result = call(type, prompt);
      ASSERT_TRUE(result.ok()) << describe(result);

      const auto body = lastChatBody();
      ASSERT_TRUE(body.IsObject());
      EXPECT_EQ(std::string(body["model"].GetString()), model);

      const ModelOutput& output = result.output();
      const std::string reply = "Stand-in reply from " + model + ": " + prompt;
      EXPECT_EQ(output.text, reply);
      EXPECT_EQ(output.model, model);
      EXPECT_EQ(output.finishReason, "stop");

      const auto events = modelUsed();
      ASSERT_EQ(events.size(), before + 1);
      const ModelUsedEvent& event = events.back();
      EXPECT_EQ(event.provider, "bitrouter");
      EXPECT_EQ(event.type, type);  // the plugin serves every tier itself: no runtime fallback
      EXPECT_EQ(event.model, model);
      EXPECT_FALSE(event.tokens.estimated);
      EXPECT_EQ(event.tokens.promptTokens, standinTokens(prompt.size()));
      EXPECT_EQ(event.tokens.completionTokens, standinTokens(reply.size()));
      EXPECT_EQ(event.tokens.totalTokens,
                event.tokens.promptTokens + event.tokens.completionTokens);
    }
    EXPECT_EQ(chatRequests().size(), kTextTiers.size());
  }
};

TEST_F(ModelTypesTest, PluginLoadsAndRegistersTheSevenTextTiers) {
  makeHost();
  const host::PluginReport* plugin = report("bitrouter");
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->status, host::PluginReport::Status::Loaded) << plugin->reason;
  EXPECT_EQ(plugin->priority, 0);
  EXPECT_EQ(plugin->modelTypes, std::vector<ModelType>(kTextTiers.begin(), kTextTiers.end()));
  for (const ModelType type : kTextTiers) {
    const auto ranked = host().registry().ranked(type);
    ASSERT_EQ(ranked.size(), 1u) << toString(type);
    EXPECT_EQ(ranked.front().providerName, "bitrouter");
  }
}

TEST_F(ModelTypesTest, DefaultsAreGpt4oMiniAndGpt4oWithTheTypeScriptFallbacks) {
  makeHost();
  expectTierModels({{ModelType::TextNano, "gpt-4o-mini"},
                    {ModelType::TextSmall, "gpt-4o-mini"},
                    {ModelType::TextMedium, "gpt-4o-mini"},
                    {ModelType::TextLarge, "gpt-4o"},
                    {ModelType::TextMega, "gpt-4o"},
                    {ModelType::ResponseHandler, "gpt-4o"},
                    {ModelType::ActionPlanner, "gpt-4o"}});
}

TEST_F(ModelTypesTest, SmallAndLargeOverridesFlowIntoTheTiersWithoutTheirOwnSetting) {
  makeHost({{"BITROUTER_SMALL_MODEL", "openai/gpt-4o-mini"},
            {"BITROUTER_LARGE_MODEL", "anthropic/claude-sonnet-4"}});
  expectTierModels({{ModelType::TextNano, "openai/gpt-4o-mini"},
                    {ModelType::TextSmall, "openai/gpt-4o-mini"},
                    {ModelType::TextMedium, "openai/gpt-4o-mini"},
                    {ModelType::TextLarge, "anthropic/claude-sonnet-4"},
                    {ModelType::TextMega, "anthropic/claude-sonnet-4"},
                    {ModelType::ResponseHandler, "anthropic/claude-sonnet-4"},
                    {ModelType::ActionPlanner, "anthropic/claude-sonnet-4"}});
}

TEST_F(ModelTypesTest, EveryTierHasItsOwnOverrideAndPinsPassVerbatim) {
  // provider:model pins are accepted by BitRouter whatever the model part is.
  makeHost({{"BITROUTER_SMALL_MODEL", "openai:tier-small"},
            {"BITROUTER_LARGE_MODEL", "anthropic:tier-large"},
            {"BITROUTER_NANO_MODEL", "openai:tier-nano"},
            {"BITROUTER_MEDIUM_MODEL", "openai:tier-medium"},
            {"BITROUTER_MEGA_MODEL", "anthropic:tier-mega"},
            {"BITROUTER_RESPONSE_HANDLER_MODEL", "openai:tier-response-handler"},
            {"BITROUTER_ACTION_PLANNER_MODEL", "anthropic:tier-action-planner"}});
  expectTierModels({{ModelType::TextNano, "openai:tier-nano"},
                    {ModelType::TextSmall, "openai:tier-small"},
                    {ModelType::TextMedium, "openai:tier-medium"},
                    {ModelType::TextLarge, "anthropic:tier-large"},
                    {ModelType::TextMega, "anthropic:tier-mega"},
                    {ModelType::ResponseHandler, "openai:tier-response-handler"},
                    {ModelType::ActionPlanner, "anthropic:tier-action-planner"}});
}

TEST_F(ModelTypesTest, BlankTierSettingsCountAsUnset) {
  makeHost({{"BITROUTER_SMALL_MODEL", "  "}, {"BITROUTER_MEGA_MODEL", ""}});
  ASSERT_TRUE(call(ModelType::TextSmall, "hi").ok());
  EXPECT_EQ(std::string(lastChatBody()["model"].GetString()), "gpt-4o-mini");
  ASSERT_TRUE(call(ModelType::TextMega, "hi").ok());
  EXPECT_EQ(std::string(lastChatBody()["model"].GetString()), "gpt-4o");
}

TEST_F(ModelTypesTest, EmbeddingHasNoHandlerAndSendsNothing) {
  makeHost();
  const ModelResult result = call(ModelType::TextEmbedding, "embed me");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::NoHandler) << describe(result);
  EXPECT_TRUE(contains(result.error().message, "TEXT_EMBEDDING")) << result.error().message;
  EXPECT_EQ(standin().chatRequestCount(), 0u);
  EXPECT_TRUE(modelUsed().empty());
}

TEST_F(ModelTypesTest, WithoutAnyBitRouterSettingThePluginIsDisabledAndTextCallsHaveNoProvider) {
  for (const EnvMap& env : {EnvMap{}, EnvMap{{"BITROUTER_BASE_URL", " "}},
                            EnvMap{{"BITROUTER_API_KEY", ""}, {"BITROUTER_SMALL_MODEL", "x"}}}) {
    makeHostWithEnv(env);
    const host::PluginReport* plugin = report("bitrouter");
    ASSERT_NE(plugin, nullptr);
    EXPECT_EQ(plugin->status, host::PluginReport::Status::Disabled);
    EXPECT_TRUE(contains(plugin->reason, "BITROUTER_API_KEY")) << plugin->reason;
    EXPECT_TRUE(contains(plugin->reason, "BITROUTER_BASE_URL")) << plugin->reason;

    const ModelResult result = call(ModelType::TextSmall, "hi");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::NoProvider) << describe(result);
  }
  EXPECT_TRUE(standin().requests().empty());
}

}  // namespace
}  // namespace agent::bitrouter::integration
