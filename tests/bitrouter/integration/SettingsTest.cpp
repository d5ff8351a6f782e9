// BITROUTER_* settings as the real loader applies them: a bad value skips the plugin with one line
// naming the setting (the host keeps running), and good values change what the plugin does.
#include <string>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

using SettingsTest = BitRouterIntegrationTest;

TEST_F(SettingsTest, BadValuesSkipThePluginWithOneLineNamingTheSetting) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"BITROUTER_BASE_URL", "ftp://router.example"},
      {"BITROUTER_BASE_URL", "127.0.0.1:4356"},
      {"BITROUTER_BASE_URL", "http://127.0.0.1:99999"},
      {"BITROUTER_BASE_URL", "http://127.0.0.1:4356/v1?x=1"},
      {"BITROUTER_TIMEOUT_MS", "0"},
      {"BITROUTER_TIMEOUT_MS", "5s"},
      {"BITROUTER_CONNECT_TIMEOUT_MS", "-1"},
      {"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "1.5"},
      {"BITROUTER_MAX_RETRIES", "11"},
      {"BITROUTER_MAX_RESPONSE_BYTES", "10"},
      {"BITROUTER_STRUCTURED_OUTPUTS", "enabled"},
  };
  for (const auto& [key, value] : cases) {
    SCOPED_TRACE(key + "=" + value);
    makeHost({{key, value}});
    const host::PluginReport* plugin = report("bitrouter");
    ASSERT_NE(plugin, nullptr);
    EXPECT_EQ(plugin->status, host::PluginReport::Status::Skipped);
    EXPECT_TRUE(contains(plugin->reason, key)) << plugin->reason;
    EXPECT_FALSE(contains(plugin->reason, "\n")) << plugin->reason;
    EXPECT_TRUE(contains(logText(), plugin->reason)) << logText();

    const ModelResult result = call(ModelType::TextSmall, "hi");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::NoProvider) << describe(result);
  }
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

TEST_F(SettingsTest, BlankNumericSettingsMeanTheDefault) {
  makeHost({{"BITROUTER_TIMEOUT_MS", " "}, {"BITROUTER_MAX_RETRIES", ""}});
  ASSERT_EQ(report("bitrouter")->status, host::PluginReport::Status::Loaded)
      << report("bitrouter")->reason;
  standin().scriptRepeated({.status = 503}, 3);
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(standin().chatRequestCount(), 3u);  // the default two retries
}

}  // namespace
}  // namespace agent::bitrouter::integration
