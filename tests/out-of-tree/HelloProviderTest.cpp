// The hello plugin's tests, written as a plugin author writes them with the installed test kit:
// the built hello.so goes through the host's real loader.
#include <gtest/gtest.h>

#include <agent/testing/LoadPluginForTest.hpp>

namespace {

TEST(HelloProviderTest, LoadsThroughTheRealLoader) {
  const auto plugin = agent::testing::loadPluginForTest(HELLO_PLUGIN);
  ASSERT_TRUE(plugin->loaded()) << plugin->report.reason;
  EXPECT_EQ(plugin->report.name, "hello");
  EXPECT_EQ(plugin->report.version, "0.1.0");
  EXPECT_EQ(plugin->report.modelTypes, std::vector<agent::ModelType>{agent::ModelType::TextSmall});
}

TEST(HelloProviderTest, AnswersAndEmitsModelUsed) {
  const auto plugin = agent::testing::loadPluginForTest(HELLO_PLUGIN);
  ASSERT_TRUE(plugin->loaded()) << plugin->report.reason;
  agent::GenerateTextParams params;
  params.prompt = "world";
  // TEXT_NANO falls back to TEXT_SMALL, as in the host.
  const agent::ModelResult result = plugin->generate(agent::ModelType::TextNano, params);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "hello, world");
  ASSERT_EQ(plugin->services.events().size(), 1u);
  EXPECT_EQ(plugin->services.events()[0].provider, "hello");
}

TEST(HelloProviderTest, PrioritySettingIsANumber) {
  const auto plugin = agent::testing::loadPluginForTest(HELLO_PLUGIN, {{"HELLO_PRIORITY", "-2.5"}});
  ASSERT_TRUE(plugin->loaded()) << plugin->report.reason;
  EXPECT_EQ(plugin->report.priority, -2.5);
}

}  // namespace
