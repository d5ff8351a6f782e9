// LoadPluginForTest: loads a built plugin file through the host's real loader, for a plugin
// author's tests: the same checks (permissions, descriptor, versions, fingerprint, autoEnable,
// RTLD_NOW, init time limit) the installed agent-host applies.
//
//   auto plugin = agent::testing::loadPluginForTest(HELLO_PLUGIN, {{"HELLO_PRIORITY", "2"}});
//   ASSERT_TRUE(plugin->loaded()) << plugin->report.reason;
//   auto result = plugin->generate(agent::ModelType::TextSmall, params);
//   plugin->services.events();  // what it emitted
//
// Header-only on top of the installed host library (libagent-host.so): with
// find_package(AgentPluginApi COMPONENTS TestKit), link Agent::PluginTestKit.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/host/ModelRegistry.hpp"
#include "agent/host/PluginLoader.hpp"
#include "agent/host/Settings.hpp"
#include "agent/testing/FakeHostServices.hpp"

namespace agent::testing {

/// A plugin loaded for a test. Keep it alive while calling the provider; destroying it destroys
/// the provider (the library stays loaded: the host never unloads a plugin). A plugin that only
/// observes or only lends tools is kept too: `lent` holds its observer and tool provider.
struct LoadedPlugin {
  FakeHostServices services;  // the settings given, and every log line and event captured
  host::Settings settings;
  std::unique_ptr<host::ModelRegistry> registry = std::make_unique<host::ModelRegistry>();
  host::PluginReport report;
  host::PluginContributions lent;  // what it lends besides model handlers (destroyed first)

  explicit LoadedPlugin(const FakeHostServices::SettingMap& values)
      : services(values),
        settings({}, [values](std::string_view key) -> std::optional<std::string> {
          const auto it = values.find(key);
          if (it == values.end()) return std::nullopt;
          return it->second;
        }) {}

  bool loaded() const { return report.status == host::PluginReport::Status::Loaded; }

  /// The plugin's observer, or null when it observes nothing.
  std::shared_ptr<EventObserver> observer() const {
    return lent.observers.empty() ? nullptr : lent.observers.front().observer;
  }
  /// The plugin's tool provider, or null when it lends no tools.
  std::shared_ptr<ToolProvider> tools() const {
    return lent.tools.empty() ? nullptr : lent.tools.front().provider;
  }

  /// The provider registered for `type` (after the host's fallback chain), or null.
  std::shared_ptr<ModelProvider> provider(ModelType type) const {
    const auto resolution = registry->resolve(type);
    return resolution ? resolution->registration.provider : nullptr;
  }

  /// One call, the way the host makes it (served as the type the fallback chain chose).
  ModelResult generate(ModelType type, const GenerateTextParams& params) const {
    const auto resolution = registry->resolve(type);
    if (!resolution) {
      return makeError(ErrorKind::NoHandler,
                       "the plugin registered nothing for " + std::string(toString(type)));
    }
    return resolution->registration.provider->generateText(resolution->servedAs, params);
  }
};

/// Loads `file` with `settings` as the only settings (no environment, no character).
inline std::unique_ptr<LoadedPlugin> loadPluginForTest(const std::filesystem::path& file,
                                                       FakeHostServices::SettingMap settings = {}) {
  auto plugin = std::make_unique<LoadedPlugin>(std::move(settings));
  host::PluginLoader loader(plugin->services, plugin->settings, *plugin->registry);
  plugin->report = loader.loadFile(file);
  plugin->lent = loader.contributions();
  return plugin;
}

}  // namespace agent::testing
