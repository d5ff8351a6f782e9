// AgentHost: the assembled host: settings, logger, events, registry, plugins and runtime.
//
//   agent::host::AgentHost host({.pluginsDirectory = "build/plugins"});
//   agent::GenerateTextParams params;
//   params.prompt = "Hello";
//   auto result = host.runtime().useModel(agent::ModelType::TextSmall, params);
//
// Member order matters: providers (in the registry) are destroyed before the services they use.
// The host ends the child processes it started (startChildProcess, command tools made with
// childStarter()) first of all when it is destroyed.
#pragma once

#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

#include "agent/host/AgentRuntime.hpp"
#include "agent/host/Character.hpp"
#include "agent/host/ChildProcesses.hpp"
#include "agent/host/EventBus.hpp"
#include "agent/host/Export.hpp"
#include "agent/host/Logger.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/PluginLoader.hpp"
#include "agent/host/Settings.hpp"

namespace agent::host {

namespace process {
class OwnedGroups;
}

/// How to build a host. Every member has a default, so designated initializers may name any few
/// of them ({.pluginsDirectory = "..."}) without -Wmissing-field-initializers.
struct HostOptions {
  std::filesystem::path pluginsDirectory{};  // empty: defaultPluginsDirectory()
  Character character{};
  Settings::Environment environment = Settings::processEnvironment();
  /// Warn: an application embedding the host hears of problems only, not of each plugin loaded
  /// (the CLI passes its own --log-level).
  LogLevel logLevel = LogLevel::Warn;
  std::ostream* logStream = &std::cerr;
};

/// `plugins` beside the directory of the running executable, unless AGENT_PLUGINS_DIR is set.
AGENT_HOST_API std::filesystem::path defaultPluginsDirectory(const Settings& settings);

class AGENT_HOST_API AgentHost {
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

  /// Starts a child process that this host ends when it is destroyed (SIGTERM to its group, then
  /// SIGKILL after 100 ms), whoever holds it then.
  StartedChild startChildProcess(const ProcessSpec& spec);
  /// startChildProcess as a function (for CommandToolOptions::start); usable from any thread, and
  /// safe to call after the host is gone (it then refuses to start anything).
  ChildStarter childStarter() const;

 private:
  class Services;  // the HostServices handed to plugins
  // Owns the host's share of the services and closes them when destroyed: after the registry
  // (declared below), so plugins use them until they are destroyed, and before the parts they
  // use. A plugin init the loader gave up waiting for keeps the object itself alive.
  struct ServicesHandle {
    std::shared_ptr<Services> services;
    ~ServicesHandle();
  };

  std::shared_ptr<process::OwnedGroups> children_;  // first: ended before anything else goes
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
