#include "agent/bitrouter/ModelTiers.hpp"

#include <gtest/gtest.h>

#include <tuple>

namespace agent::bitrouter {
namespace {

struct TierCase {
  ModelType type;
  const char* defaults;      // nothing set
  const char* smallLarge;    // SMALL=s-model, LARGE=l-model
  const char* allOverrides;  // every BITROUTER_<TIER>_MODEL set to "<tier>-model"
  const char* smallLargeSource;
};

// The TypeScript plugin's tier goldens: tier_<T>__{defaults,small_large_overrides,all_overrides}.
const TierCase kCases[] = {
    {ModelType::TextNano, "gpt-4o-mini", "s-model", "nano-model", "BITROUTER_SMALL_MODEL"},
    {ModelType::TextSmall, "gpt-4o-mini", "s-model", "small-model", "BITROUTER_SMALL_MODEL"},
    {ModelType::TextMedium, "gpt-4o-mini", "s-model", "medium-model", "BITROUTER_SMALL_MODEL"},
    {ModelType::TextLarge, "gpt-4o", "l-model", "large-model", "BITROUTER_LARGE_MODEL"},
    {ModelType::TextMega, "gpt-4o", "l-model", "mega-model", "BITROUTER_LARGE_MODEL"},
    {ModelType::ResponseHandler, "gpt-4o", "l-model", "response-handler-model",
     "BITROUTER_LARGE_MODEL"},
    {ModelType::ActionPlanner, "gpt-4o", "l-model", "action-planner-model",
     "BITROUTER_LARGE_MODEL"},
};

class ModelTiersTest : public ::testing::TestWithParam<TierCase> {};

TEST_P(ModelTiersTest, Defaults) {
  const ModelTiers tiers = ModelTiers::fromSettings(lookupFromMap({}));
  const ModelChoice* choice = tiers.find(GetParam().type);
  ASSERT_NE(choice, nullptr);
  EXPECT_EQ(choice->model, GetParam().defaults);
  EXPECT_EQ(choice->source, "");
  EXPECT_EQ(choice->tierSetting, ModelTiers::settingFor(GetParam().type));
}

TEST_P(ModelTiersTest, SmallAndLargeOverrides) {
  const ModelTiers tiers = ModelTiers::fromSettings(
      lookupFromMap({{"BITROUTER_SMALL_MODEL", "s-model"}, {"BITROUTER_LARGE_MODEL", "l-model"}}));
  const ModelChoice* choice = tiers.find(GetParam().type);
  ASSERT_NE(choice, nullptr);
  EXPECT_EQ(choice->model, GetParam().smallLarge);
  EXPECT_EQ(choice->source, GetParam().smallLargeSource);
}

TEST_P(ModelTiersTest, AllOverrides) {
  const ModelTiers tiers = ModelTiers::fromSettings(lookupFromMap({
      {"BITROUTER_SMALL_MODEL", "small-model"},
      {"BITROUTER_LARGE_MODEL", "large-model"},
      {"BITROUTER_NANO_MODEL", "nano-model"},
      {"BITROUTER_MEDIUM_MODEL", "medium-model"},
      {"BITROUTER_MEGA_MODEL", "mega-model"},
      {"BITROUTER_RESPONSE_HANDLER_MODEL", "response-handler-model"},
      {"BITROUTER_ACTION_PLANNER_MODEL", "action-planner-model"},
  }));
  const ModelChoice* choice = tiers.find(GetParam().type);
  ASSERT_NE(choice, nullptr);
  EXPECT_EQ(choice->model, GetParam().allOverrides);
  EXPECT_EQ(choice->source, ModelTiers::settingFor(GetParam().type));
}

INSTANTIATE_TEST_SUITE_P(AllSevenTiers, ModelTiersTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(toString(info.param.type)); });

TEST(ModelTiers, BlankValuesCountAsUnsetAndValuesAreTrimmed) {
  const ModelTiers tiers =
      ModelTiers::fromSettings(lookupFromMap({{"BITROUTER_SMALL_MODEL", "  openai:gpt-4o-mini \n"},
                                              {"BITROUTER_NANO_MODEL", "   "},
                                              {"BITROUTER_LARGE_MODEL", ""}}));
  EXPECT_EQ(tiers.find(ModelType::TextNano)->model, "openai:gpt-4o-mini");
  EXPECT_EQ(tiers.find(ModelType::TextNano)->source, "BITROUTER_SMALL_MODEL");
  EXPECT_EQ(tiers.find(ModelType::TextLarge)->model, "gpt-4o");
}

TEST(ModelTiers, OnlyTheSevenTextTiersAreServed) {
  const ModelTiers tiers;
  EXPECT_EQ(tiers.find(ModelType::TextCompletion), nullptr);
  EXPECT_EQ(tiers.find(ModelType::TextEmbedding), nullptr);
  EXPECT_EQ(tiers.find(ModelType::TextReasoningLarge), nullptr);
  for (const ModelType type : ModelTiers::kSupportedTypes)
    EXPECT_NE(tiers.find(type), nullptr);
}

TEST(ModelTiers, DescribeNamesTheSettingThatChoseTheModel) {
  const ModelTiers tiers =
      ModelTiers::fromSettings(lookupFromMap({{"BITROUTER_LARGE_MODEL", "gpt-5"}}));
  EXPECT_EQ(tiers.find(ModelType::TextLarge)->describe(),
            "model 'gpt-5' (from BITROUTER_LARGE_MODEL)");
  EXPECT_EQ(tiers.find(ModelType::TextMega)->describe(),
            "model 'gpt-5' (from BITROUTER_LARGE_MODEL)");
  EXPECT_EQ(tiers.find(ModelType::TextSmall)->describe(),
            "model 'gpt-4o-mini' (built-in default; set BITROUTER_SMALL_MODEL)");
  EXPECT_EQ(tiers.find(ModelType::TextNano)->describe(),
            "model 'gpt-4o-mini' (built-in default; set BITROUTER_NANO_MODEL)");
}

}  // namespace
}  // namespace agent::bitrouter
