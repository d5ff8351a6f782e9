#include "agent/bitrouter/ModelsProbe.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

TEST(ModelsProbe, ParsesTheModelList) {
  ModelsProbe probe;
  std::string body =
      R"({"object":"list","data":[{"id":"gpt-4o","object":"model","providers":["openai"]},{"id":"openai/gpt-5.4"}]})";
  ASSERT_TRUE(probe.parseBody(body));
  EXPECT_EQ(probe.models, (std::vector<std::string>{"gpt-4o", "openai/gpt-5.4"}));
}

TEST(ModelsProbe, RejectsOtherBodies) {
  ModelsProbe probe;
  std::string body = R"({"status":"ok"})";
  EXPECT_FALSE(probe.parseBody(body));
  EXPECT_FALSE(probe.problem.empty());
}

TEST(ModelsProbe, BareNames) {
  EXPECT_TRUE(isBareModelName("gpt-4o"));
  EXPECT_TRUE(isBareModelName("openai/gpt-5.4"));
  EXPECT_FALSE(isBareModelName("openai:gpt-4o"));
  EXPECT_FALSE(isBareModelName("@fast"));
  EXPECT_FALSE(isBareModelName("bitrouter/auto"));
  EXPECT_FALSE(isBareModelName(""));
}

TEST(ModelsProbe, WarnsOncePerMissingBareModel) {
  const ModelTiers tiers = ModelTiers::fromSettings(lookupFromMap(
      {{"BITROUTER_LARGE_MODEL", "gpt-5"}, {"BITROUTER_NANO_MODEL", "openai:gpt-4o-mini"}}));
  const auto warnings = missingModelWarnings(tiers, {"gpt-4o-mini"});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("model 'gpt-5' (from BITROUTER_LARGE_MODEL)"), std::string::npos);
  EXPECT_NE(warnings[0].find("TEXT_LARGE, TEXT_MEGA, RESPONSE_HANDLER, ACTION_PLANNER"),
            std::string::npos)
      << warnings[0];
  EXPECT_TRUE(missingModelWarnings(tiers, {"gpt-4o-mini", "gpt-5"}).empty());
}

}  // namespace
}  // namespace agent::bitrouter
