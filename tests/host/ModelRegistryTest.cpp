#include "agent/host/ModelRegistry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/FakeProvider.hpp"

namespace agent::host {
namespace {

using test::FakeProvider;

std::shared_ptr<FakeProvider> fake(const std::string& name) {
  return std::make_shared<FakeProvider>(name);
}

std::vector<std::string> names(const std::vector<ModelRegistration>& registrations) {
  std::vector<std::string> out;
  for (const auto& r : registrations)
    out.push_back(r.providerName);
  return out;
}

TEST(ModelRegistryTest, RanksByPriorityDescending) {
  ModelRegistry registry;
  registry.registerModel(ModelType::TextSmall, fake("low"), "low", -1);
  registry.registerModel(ModelType::TextSmall, fake("high"), "high", 10);
  registry.registerModel(ModelType::TextSmall, fake("mid"), "mid", 5);
  EXPECT_EQ(names(registry.ranked(ModelType::TextSmall)),
            (std::vector<std::string>{"high", "mid", "low"}));
}

TEST(ModelRegistryTest, PrioritiesAreNumbersAsInElizaOS) {
  ModelRegistry registry;
  registry.registerModel(ModelType::TextSmall, fake("minus"), "minus", -1.5);
  registry.registerModel(ModelType::TextSmall, fake("half"), "half", 0.5);
  registry.registerModel(ModelType::TextSmall, fake("zero"), "zero", 0);
  registry.registerModel(ModelType::TextSmall, fake("quarter"), "quarter", 0.25);
  EXPECT_EQ(names(registry.ranked(ModelType::TextSmall)),
            (std::vector<std::string>{"half", "quarter", "zero", "minus"}));
  EXPECT_EQ(registry.ranked(ModelType::TextSmall).back().priority, -1.5);
}

TEST(ModelRegistryTest, NaNPriorityCountsAsZero) {
  ModelRegistry registry;
  registry.registerModel(ModelType::TextSmall, fake("zero"), "zero", 0);
  registry.registerModel(ModelType::TextSmall, fake("nan"), "nan", std::nan(""));
  registry.registerModel(ModelType::TextSmall, fake("one"), "one", 1);
  EXPECT_EQ(names(registry.ranked(ModelType::TextSmall)),
            (std::vector<std::string>{"one", "zero", "nan"}));
}

TEST(ModelRegistryTest, TiesGoToTheEarliestRegistration) {
  ModelRegistry registry;
  registry.registerModel(ModelType::TextSmall, fake("first"), "first", 0);
  registry.registerModel(ModelType::TextSmall, fake("second"), "second", 0);
  registry.registerModel(ModelType::TextSmall, fake("third"), "third", 0);
  registry.registerModel(ModelType::TextSmall, fake("top"), "top", 1);
  EXPECT_EQ(names(registry.ranked(ModelType::TextSmall)),
            (std::vector<std::string>{"top", "first", "second", "third"}));
  EXPECT_EQ(registry.resolve(ModelType::TextSmall)->registration.providerName, "top");
}

TEST(ModelRegistryTest, SequenceNumbersFollowRegistrationOrder) {
  ModelRegistry registry;
  registry.registerModel(ModelType::TextSmall, fake("a"), "a", 0);
  registry.registerModel(ModelType::TextLarge, fake("b"), "b", 0);
  EXPECT_LT(registry.ranked(ModelType::TextSmall)[0].sequence,
            registry.ranked(ModelType::TextLarge)[0].sequence);
}

TEST(ModelRegistryTest, SameProviderTwiceKeepsTwoEntries) {
  ModelRegistry registry;
  auto provider = fake("dup");
  registry.registerModel(ModelType::TextSmall, provider, "dup", 0);
  registry.registerModel(ModelType::TextSmall, provider, "dup", 0);
  EXPECT_EQ(registry.ranked(ModelType::TextSmall).size(), 2u);
}

struct ChainCase {
  ModelType requested;
  std::vector<ModelType> chain;
};

void PrintTo(const ChainCase& c, std::ostream* os) {
  *os << toString(c.requested);
}

class FallbackChainTest : public ::testing::TestWithParam<ChainCase> {};

TEST_P(FallbackChainTest, MatchesElizaOs) {
  const auto chain = fallbackChain(GetParam().requested);
  EXPECT_EQ(std::vector<ModelType>(chain.begin(), chain.end()), GetParam().chain);
}

using enum ModelType;
INSTANTIATE_TEST_SUITE_P(
    AllChains, FallbackChainTest,
    ::testing::Values(ChainCase{TextNano, {TextNano, TextSmall}},
                      ChainCase{TextMedium, {TextMedium, TextSmall}},
                      ChainCase{TextMega, {TextMega, TextLarge}},
                      ChainCase{ResponseHandler, {ResponseHandler, TextNano, TextSmall}},
                      ChainCase{ActionPlanner, {ActionPlanner, TextMedium, TextSmall}},
                      ChainCase{TextSmall, {TextSmall}}, ChainCase{TextLarge, {TextLarge}},
                      ChainCase{TextEmbedding, {TextEmbedding}},
                      ChainCase{TextCompletion, {TextCompletion}},
                      ChainCase{TextReasoningSmall, {TextReasoningSmall}}),
    [](const ::testing::TestParamInfo<ChainCase>& info) {
      return std::string(toString(info.param.requested));
    });

// Only TEXT_SMALL and TEXT_LARGE registered, as with a provider that registers just those two:
// every tier lands where elizaOS sends it.
TEST(ModelRegistryTest, ResolutionWithOnlySmallAndLargeRegistered) {
  ModelRegistry registry;
  registry.registerModel(TextSmall, fake("s"), "small-provider", 0);
  registry.registerModel(TextLarge, fake("l"), "large-provider", 0);
  const std::vector<std::pair<ModelType, ModelType>> expected{
      {TextNano, TextSmall},     {TextSmall, TextSmall}, {TextMedium, TextSmall},
      {TextLarge, TextLarge},    {TextMega, TextLarge},  {ResponseHandler, TextSmall},
      {ActionPlanner, TextSmall}};
  for (const auto& [requested, servedAs] : expected) {
    const auto resolution = registry.resolve(requested);
    ASSERT_TRUE(resolution) << toString(requested);
    EXPECT_EQ(resolution->servedAs, servedAs) << toString(requested);
  }
}

TEST(ModelRegistryTest, ChainPrefersTheRequestedTypeOverFallbacks) {
  ModelRegistry registry;
  registry.registerModel(TextSmall, fake("s"), "s", 100);
  registry.registerModel(TextNano, fake("n"), "n", 0);
  const auto resolution = registry.resolve(TextNano);
  ASSERT_TRUE(resolution);
  EXPECT_EQ(resolution->registration.providerName, "n");
  EXPECT_EQ(resolution->servedAs, TextNano);
}

TEST(ModelRegistryTest, ResponseHandlerWalksNanoBeforeSmall) {
  ModelRegistry registry;
  registry.registerModel(TextSmall, fake("s"), "s", 0);
  registry.registerModel(TextNano, fake("n"), "n", 0);
  EXPECT_EQ(registry.resolve(ResponseHandler)->servedAs, TextNano);
}

TEST(ModelRegistryTest, ActionPlannerWalksMediumAndNeverLarge) {
  ModelRegistry registry;
  registry.registerModel(TextLarge, fake("l"), "l", 0);
  EXPECT_FALSE(registry.resolve(ActionPlanner));
  registry.registerModel(TextMedium, fake("m"), "m", 0);
  EXPECT_EQ(registry.resolve(ActionPlanner)->servedAs, TextMedium);
}

TEST(ModelRegistryTest, MegaNeverReachesSmall) {
  ModelRegistry registry;
  registry.registerModel(TextSmall, fake("s"), "s", 0);
  EXPECT_FALSE(registry.resolve(TextMega));
}

TEST(ModelRegistryTest, SmallAndLargeDoNotFallBack) {
  ModelRegistry registry;
  registry.registerModel(TextNano, fake("n"), "n", 0);
  registry.registerModel(TextMedium, fake("m"), "m", 0);
  registry.registerModel(TextMega, fake("g"), "g", 0);
  EXPECT_FALSE(registry.resolve(TextSmall));
  EXPECT_FALSE(registry.resolve(TextLarge));
}

TEST(ModelRegistryTest, ExplicitProviderFiltersEachChainStep) {
  ModelRegistry registry;
  registry.registerModel(TextNano, fake("best"), "best", 10);
  registry.registerModel(TextSmall, fake("other"), "other", 0);
  // "other" has no TEXT_NANO handler: the chain moves on to TEXT_SMALL for it.
  const auto resolution = registry.resolve(TextNano, "other");
  ASSERT_TRUE(resolution);
  EXPECT_EQ(resolution->registration.providerName, "other");
  EXPECT_EQ(resolution->servedAs, TextSmall);
}

TEST(ModelRegistryTest, ExplicitProviderPicksItEvenWhenOutranked) {
  ModelRegistry registry;
  registry.registerModel(TextSmall, fake("top"), "top", 10);
  registry.registerModel(TextSmall, fake("low"), "low", 0);
  EXPECT_EQ(registry.resolve(TextSmall, "low")->registration.providerName, "low");
}

TEST(ModelRegistryTest, UnknownExplicitProviderResolvesToNothing) {
  ModelRegistry registry;
  registry.registerModel(TextSmall, fake("top"), "top", 10);
  EXPECT_FALSE(registry.resolve(TextSmall, "nobody"));
  EXPECT_FALSE(registry.resolve(TextNano, "nobody"));
}

TEST(ModelRegistryTest, CandidatesFollowTheChainBestFirstEachProviderOnce) {
  ModelRegistry registry;
  registry.registerModel(TextNano, fake("a"), "a", 0);
  registry.registerModel(TextNano, fake("b"), "b", 5);
  registry.registerModel(TextSmall, fake("a"), "a", 0);
  registry.registerModel(TextSmall, fake("c"), "c", 9);
  const auto candidates = registry.candidates(TextNano);
  ASSERT_EQ(candidates.size(), 3u);
  EXPECT_EQ(candidates[0].registration.providerName, "b");
  EXPECT_EQ(candidates[0].servedAs, TextNano);
  EXPECT_EQ(candidates[1].registration.providerName, "a");
  EXPECT_EQ(candidates[1].servedAs, TextNano);
  EXPECT_EQ(candidates[2].registration.providerName, "c");
  EXPECT_EQ(candidates[2].servedAs, TextSmall);
  EXPECT_EQ(registry.resolve(TextNano)->registration.providerName,
            candidates[0].registration.providerName);
}

TEST(ModelRegistryTest, CandidatesWithProviderStayWithThatProvider) {
  ModelRegistry registry;
  registry.registerModel(TextSmall, fake("a"), "a", 0);
  registry.registerModel(TextSmall, fake("b"), "b", 5);
  const auto candidates = registry.candidates(TextSmall, "a");
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].registration.providerName, "a");
}

TEST(ModelRegistryTest, HasAnyTextProviderIgnoresNonTextTypes) {
  ModelRegistry registry;
  EXPECT_FALSE(registry.hasAnyTextProvider());
  registry.registerModel(TextEmbedding, fake("e"), "e", 0);
  EXPECT_FALSE(registry.hasAnyTextProvider());
  registry.registerModel(TextCompletion, fake("c"), "c", 0);
  EXPECT_TRUE(registry.hasAnyTextProvider());
}

TEST(ModelRegistryTest, UnregisterProviderRemovesEveryRegistration) {
  ModelRegistry registry;
  auto provider = fake("gone");
  registry.registerModel(TextSmall, provider, "gone", 0);
  registry.registerModel(TextLarge, provider, "gone", 0);
  registry.registerModel(TextSmall, fake("stays"), "stays", 0);
  EXPECT_TRUE(registry.hasProvider("gone"));
  registry.unregisterProvider("gone");
  EXPECT_FALSE(registry.hasProvider("gone"));
  EXPECT_EQ(names(registry.ranked(TextSmall)), (std::vector<std::string>{"stays"}));
  EXPECT_TRUE(registry.ranked(TextLarge).empty());
  EXPECT_EQ(provider.use_count(), 1);  // the registry let go of it
}

TEST(ModelRegistryTest, LookupsMayRaceWithRegistration) {
  ModelRegistry registry;
  registry.registerModel(TextSmall, fake("base"), "base", 0);
  std::atomic<bool> done = false;
  std::atomic<int> misses = 0;
  std::thread reader([&] {
    while (!done) {
      if (!registry.resolve(TextSmall)) ++misses;
      (void)registry.candidates(TextNano);
    }
  });
  for (int i = 0; i < 500; ++i) {
    registry.registerModel(TextSmall, fake("p"), "p" + std::to_string(i), i % 7);
  }
  done = true;
  reader.join();
  EXPECT_EQ(misses, 0);
  EXPECT_EQ(registry.ranked(TextSmall).size(), 501u);
  EXPECT_EQ(registry.ranked(TextSmall).front().priority, 6);
}

}  // namespace
}  // namespace agent::host
