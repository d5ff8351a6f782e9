// AgentHost: the assembled host: settings, logger, events, registry, plugins and runtime.
//
//   agent::host::AgentHost host({.pluginsDirectory = "build/plugins"});
//   auto result = host.runtime().useModel(agent::ModelType::TextSmall, {.prompt = "Hello"});
//
// Member order matters: providers (in the registry) are destroyed before the services they use.
#pragma once

#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

#include "agent/host/AgentRuntime.hpp"
#include "agent/host/Character.hpp"
#include "agent/host/EventBus.hpp"
#include "agent/host/Logger.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/PluginLoader.hpp"
#include "agent/host/Settings.hpp"

namespace agent::host {

struct HostOptions {
  std::filesystem::path pluginsDirectory;  // empty: defaultPluginsDirectory()
  Character character;
  Settings::Environment environment = Settings::processEnvironment();
  LogLevel logLevel = LogLevel::Info;
  std::ostream* logStream = &std::cerr;
};

/// `plugins` beside the directory of the running executable, unless AGENT_PLUGINS_DIR is set.
std::filesystem::path defaultPluginsDirectory(const Settings& settings);

class AgentHost {
 public:
  explicit AgentHost(HostOptions options);
  ~AgentHost();
  AgentHost(const AgentHost&) = delete;
  AgentHost& operator=(const AgentHost&) = delete;

  const std::vector<PluginReport>& plugins() const noexcept { return plugins_; }
  const Settings& settings() const noexcept { return settings_; }
  Logger& logger() noexcept { return logger_; }
  EventBus& events() noexcept { return events_; }
  ModelRegistry& registry() noexcept { return registry_; }
  const AgentRuntime& runtime() const noexcept { return runtime_; }
  /// The tool providers of the loaded plugins (an MCP client, say), in load order.
  const std::vector<NamedToolProvider>& toolProviders() const noexcept { return toolProviders_; }

 private:
  class Services;  // the HostServices handed to plugins
  // Owns the host's share of the services and closes them when destroyed: after the registry
  // (declared below), so plugins use them until they are destroyed, and before the parts they
  // use. A plugin init the loader gave up waiting for keeps the object itself alive.
  struct ServicesHandle {
    std::shared_ptr<Services> services;
    ~ServicesHandle();
  };

  Settings settings_;
  Logger logger_;
  EventBus events_;
  ServicesHandle services_;
  ModelRegistry registry_;  // holds the providers: destroyed before the services they use
  AgentRuntime runtime_;
  std::vector<NamedToolProvider> toolProviders_;
  std::vector<PluginReport> plugins_;
};

}  // namespace agent::host
