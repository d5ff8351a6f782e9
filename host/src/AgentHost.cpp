#include "agent/host/AgentHost.hpp"

#include <atomic>
#include <chrono>
#include <exception>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "agent/support/Text.hpp"

#ifndef AGENT_INSTALLED_PLUGINS_RELDIR
#define AGENT_INSTALLED_PLUGINS_RELDIR "../lib/agent-host/plugins"
#endif

namespace agent::host {

/// The HostServices a plugin sees: settings, the logger, MODEL_USED and child processes, each call
/// fenced so that nothing thrown on the host side reaches plugin code.
///
/// Shared with the plugins' init threads: one the loader stopped waiting for may call in after
/// the host is gone. The host closes the services as it goes (after its plugins are destroyed):
/// from then on calls do nothing, and close() waits for the calls already inside.
class AgentHost::Services final : public HostServices {
 public:
  Services(const Settings& settings, Logger& logger, EventBus& events)
      : settings_(settings), logger_(logger), events_(events) {}

  std::optional<std::string> setting(std::string_view key) const noexcept override {
    const Visit visit(*this);
    if (!visit.open()) return std::nullopt;
    try {
      return settings_.get(key);
    } catch (...) {
      return std::nullopt;
    }
  }

  void log(LogLevel level, std::string_view source,
           std::string_view message) const noexcept override {
    const Visit visit(*this);
    if (visit.open()) logger_.log(level, source, message);
  }

  void emitModelUsed(const ModelUsedEvent& event) const noexcept override {
    const Visit visit(*this);
    if (visit.open()) events_.emit(event);
  }

  Expected<std::unique_ptr<ChildProcess>, std::string> startProcess(
      const ProcessSpec& spec) const noexcept override {
    const std::string program = spec.argv.empty() ? std::string("(no program)") : spec.argv[0];
    return std::string("cannot start " + program + ": this host starts no child processes yet");
  }

  /// Ends the services' use of the host's parts; waits for the calls in progress.
  void close() noexcept {
    closed_.store(true);
    while (inside_.load() != 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

 private:
  // One call: counted while inside, so close() knows when the host's parts are free.
  class Visit {
   public:
    explicit Visit(const Services& services) : services_(services) { ++services_.inside_; }
    ~Visit() { --services_.inside_; }
    Visit(const Visit&) = delete;
    Visit& operator=(const Visit&) = delete;
    bool open() const noexcept { return !services_.closed_.load(); }

   private:
    const Services& services_;
  };

  const Settings& settings_;
  Logger& logger_;
  EventBus& events_;
  mutable std::atomic<int> inside_{0};
  std::atomic<bool> closed_{false};
};

AgentHost::ServicesHandle::~ServicesHandle() {
  if (services) services->close();
}

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
      services_{std::make_shared<Services>(settings_, logger_, events_)},
      runtime_(settings_, registry_, logger_, &events_) {
  const auto directory = options.pluginsDirectory.empty() ? defaultPluginsDirectory(settings_)
                                                          : options.pluginsDirectory;
  PluginLoader loader(services_.services, settings_, registry_);
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
