#include "agent/host/AgentHost.hpp"

#include <exception>
#include <string>
#include <system_error>
#include <utility>

#include "TemporaryProcess.hpp"
#include "agent/support/Text.hpp"

#ifndef AGENT_INSTALLED_PLUGINS_RELDIR
#define AGENT_INSTALLED_PLUGINS_RELDIR "../lib/agent-host/plugins"
#endif

namespace agent::host {

/// The HostServices a plugin sees: settings, the logger, MODEL_USED and child processes, each call
/// fenced so that nothing thrown on the host side reaches plugin code.
class AgentHost::Services final : public HostServices {
 public:
  Services(const Settings& settings, Logger& logger, EventBus& events)
      : settings_(settings), logger_(logger), events_(events) {}

  std::optional<std::string> setting(std::string_view key) const noexcept override {
    try {
      return settings_.get(key);
    } catch (...) {
      return std::nullopt;
    }
  }

  void log(LogLevel level, std::string_view source,
           std::string_view message) const noexcept override {
    logger_.log(level, source, message);
  }

  void emitModelUsed(const ModelUsedEvent& event) const noexcept override { events_.emit(event); }

  Expected<std::unique_ptr<ChildProcess>, std::string> startProcess(
      const ProcessSpec& spec) const noexcept override {
    try {
      return startTemporaryProcess(spec);
    } catch (const std::exception& e) {
      return std::string("cannot start a process: ") + e.what();
    }
  }

 private:
  const Settings& settings_;
  Logger& logger_;
  EventBus& events_;
};

std::filesystem::path defaultPluginsDirectory(const Settings& settings) {
  if (const auto configured = settings.get("AGENT_PLUGINS_DIR");
      configured && !text::isBlank(*configured)) {
    return std::filesystem::path(std::string(text::trim(*configured)));
  }
  std::error_code ec;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "plugins";
  const auto binDir = executable.parent_path();
  // Build tree: build/bin/agent-host -> build/plugins. Installed: <prefix>/bin/agent-host ->
  // <prefix>/lib/agent-host/plugins (the relative path comes from the install layout).
  const auto buildLayout = (binDir.parent_path() / "plugins").lexically_normal();
  const auto installLayout = (binDir / AGENT_INSTALLED_PLUGINS_RELDIR).lexically_normal();
  if (std::filesystem::is_directory(buildLayout, ec)) return buildLayout;
  if (std::filesystem::is_directory(installLayout, ec)) return installLayout;
  return buildLayout;
}

AgentHost::AgentHost(HostOptions options)
    : settings_(std::move(options.character), std::move(options.environment)),
      logger_(*options.logStream, options.logLevel),
      events_(logger_),
      services_(std::make_unique<Services>(settings_, logger_, events_)),
      runtime_(settings_, registry_, logger_, &events_) {
  const auto directory = options.pluginsDirectory.empty() ? defaultPluginsDirectory(settings_)
                                                          : options.pluginsDirectory;
  PluginLoader loader(*services_, settings_, registry_);
  plugins_ = loader.loadDirectory(directory);
  toolProviders_ = std::move(loader.contributions().tools);
  for (auto& observer : loader.contributions().observers)
    events_.addObserver(std::move(observer.observer));
}

// Plugins go before the services they were lent: observers and tool providers first (they may
// share an object with a model provider), then the registry's providers.
AgentHost::~AgentHost() {
  events_.clearObservers();
  toolProviders_.clear();
}

}  // namespace agent::host
