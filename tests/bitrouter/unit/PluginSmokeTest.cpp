// The built bitrouter.so: loads with RTLD_NOW, exports the entry, and its init works across
// the library boundary.

#include <vector>  // before library_info.hpp: Boost 1.74 forgets it (P5)

#include <gtest/gtest.h>

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <Poco/Net/ServerSocket.h>

#include "FakeHost.hpp"
#include "agent/PluginEntry.hpp"

namespace agent::bitrouter {
namespace {

class PluginSmokeTest : public ::testing::Test {
 protected:
  boost::dll::shared_library library{
      BITROUTER_PLUGIN_PATH, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local};
  const AgentPluginEntry* entry() {
    return library.get_alias<AgentPluginEntryFunction>(AGENT_PLUGIN_ENTRY_NAME)();
  }
};

TEST_F(PluginSmokeTest, EntryIsInTheSectionTheHostScans) {
  boost::dll::library_info info(BITROUTER_PLUGIN_PATH);
  const std::vector<std::string> symbols = info.symbols(AGENT_PLUGIN_SECTION_NAME);
  EXPECT_NE(std::find(symbols.begin(), symbols.end(), AGENT_PLUGIN_ENTRY_NAME), symbols.end());
}

TEST_F(PluginSmokeTest, ManifestDescribesTheBitRouterPlugin) {
  const AgentPluginEntry* plugin = entry();
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->abiVersion, AGENT_PLUGIN_ABI_VERSION);
  EXPECT_EQ(plugin->cxxAbiTag, cxxAbiTag());
  const PluginManifest& manifest = *plugin->manifest;
  EXPECT_STREQ(manifest.name, "bitrouter");
  EXPECT_EQ(manifest.defaultPriority, 0);
  EXPECT_STREQ(manifest.prioritySetting, "BITROUTER_PRIORITY");
  ASSERT_EQ(manifest.autoEnableKeyCount, 2u);
  EXPECT_STREQ(manifest.autoEnableKeys[0], "BITROUTER_API_KEY");
  EXPECT_STREQ(manifest.autoEnableKeys[1], "BITROUTER_BASE_URL");
  bool keyIsSecret = false;
  for (std::size_t i = 0; i < manifest.settingCount; ++i) {
    if (std::string(manifest.settings[i].key) == "BITROUTER_API_KEY") {
      keyIsSecret = manifest.settings[i].secret;
    }
  }
  EXPECT_TRUE(keyIsSecret);
}

TEST_F(PluginSmokeTest, CreateAndDestroyAcrossTheBoundary) {
  Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
  test::FakeHost host(
      {{"BITROUTER_BASE_URL", "http://127.0.0.1:" + std::to_string(closed.address().port())}});
  char error[256] = {};
  ModelProvider* provider = entry()->create(&host, error, sizeof error);
  ASSERT_NE(provider, nullptr) << error;
  EXPECT_EQ(provider->supportedModelTypes().size(), 7u);
  entry()->destroy(provider);
}

TEST_F(PluginSmokeTest, CreateReportsABadSettingAsAnInitFailure) {
  test::FakeHost host;
  host.set("BITROUTER_BASE_URL", "ftp://nope");
  char error[256] = {};
  EXPECT_EQ(entry()->create(&host, error, sizeof error), nullptr);
  EXPECT_NE(std::string(error).find("BITROUTER_BASE_URL"), std::string::npos) << error;
}

}  // namespace
}  // namespace agent::bitrouter
