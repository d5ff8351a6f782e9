// The built bitrouter.so: loads with RTLD_NOW, exports the entry, and its init works across
// the library boundary.

#include <dlfcn.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>

#include <Poco/Net/ServerSocket.h>

#include "FakeHost.hpp"
#include "agent/PluginEntry.hpp"

namespace agent::bitrouter {
namespace {

class PluginSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(library_, nullptr) << ::dlerror(); }
  void TearDown() override {
    if (library_ != nullptr) ::dlclose(library_);
  }
  const AgentPluginEntry* entry() {
    auto* function =
        reinterpret_cast<AgentPluginEntryFunction*>(::dlsym(library_, AGENT_PLUGIN_ENTRY_NAME));
    return function != nullptr ? function() : nullptr;
  }
  // The descriptor's header and manifest records, as the host reads them from the file.
  const AgentPluginDescriptorHeader* descriptor() {
    return static_cast<const AgentPluginDescriptorHeader*>(
        ::dlsym(library_, AGENT_PLUGIN_DESCRIPTOR_NAME));
  }
  std::string_view manifest() {
    const auto* header = descriptor();
    return {reinterpret_cast<const char*>(header + 1), header->manifestSize};
  }

  void* library_ = ::dlopen(BITROUTER_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
};

using namespace std::string_view_literals;

bool hasRecord(std::string_view manifest, std::string_view tag, std::string_view value) {
  const std::string record = std::string(tag) + '\0' + std::string(value) + '\0';
  return manifest.find(record) != std::string_view::npos;
}

TEST_F(PluginSmokeTest, DescriptorAndEntryCarryTheHostsVersions) {
  const AgentPluginDescriptorHeader* header = descriptor();
  ASSERT_NE(header, nullptr);
  EXPECT_EQ(std::memcmp(header->magic, AGENT_PLUGIN_MAGIC, 8), 0);
  EXPECT_EQ(header->abiVersion, AGENT_PLUGIN_ABI_VERSION);
  EXPECT_EQ(header->cxxAbiTag, cxxAbiTag());
  EXPECT_EQ(header->layoutFingerprint, detail::layoutFingerprint());
  const AgentPluginEntry* plugin = entry();
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->abiVersion, AGENT_PLUGIN_ABI_VERSION);
  EXPECT_EQ(plugin->interfaceShape, detail::interfaceShape());
}

TEST_F(PluginSmokeTest, ManifestDescribesTheBitRouterPlugin) {
  const std::string_view records = manifest();
  EXPECT_TRUE(hasRecord(records, "name", "bitrouter"));
  EXPECT_TRUE(hasRecord(records, "prioritySetting", "BITROUTER_PRIORITY"));
  EXPECT_TRUE(hasRecord(records, "autoEnable", "BITROUTER_API_KEY"));
  EXPECT_TRUE(hasRecord(records, "autoEnable", "BITROUTER_BASE_URL"));
  const auto key = records.find("setting\0BITROUTER_API_KEY\0"sv);
  ASSERT_NE(key, std::string_view::npos);
  const auto next = records.find("setting\0"sv, key + 8);
  EXPECT_NE(records.substr(key, next - key)
                .find("settingSecret\0"
                      "1"sv),
            std::string_view::npos);
}

TEST_F(PluginSmokeTest, CreateAndDestroyAcrossTheBoundary) {
  Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
  test::FakeHost host(
      {{"BITROUTER_BASE_URL", "http://127.0.0.1:" + std::to_string(closed.address().port())}});
  char error[256] = {};
  AgentPluginInstance instance{};
  ASSERT_TRUE(entry()->create(&host, &instance, error, sizeof error)) << error;
  ASSERT_NE(instance.models, nullptr);
  EXPECT_EQ(instance.tools, nullptr);
  EXPECT_EQ(instance.observer, nullptr);
  EXPECT_EQ(instance.models->supportedModelTypes().size(), 7u);
  entry()->destroy(instance.handle);
}

TEST_F(PluginSmokeTest, CreateReportsABadSettingAsAnInitFailure) {
  test::FakeHost host;
  host.set("BITROUTER_BASE_URL", "ftp://nope");
  char error[256] = {};
  AgentPluginInstance instance{};
  EXPECT_FALSE(entry()->create(&host, &instance, error, sizeof error));
  EXPECT_NE(std::string(error).find("BITROUTER_BASE_URL"), std::string::npos) << error;
}

}  // namespace
}  // namespace agent::bitrouter
