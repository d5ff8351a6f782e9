#include "agent/host/AgentHost.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "CountSetting.hpp"
#include "agent/support/Text.hpp"
#include "process/OwnedGroups.hpp"
#include "process/SpawnedChild.hpp"

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
  Services(const Settings& settings, Logger& logger, EventBus& events, const AgentRuntime& runtime,
           std::shared_ptr<process::OwnedGroups> children)
      : settings_(settings),
        logger_(logger),
        events_(events),
        runtime_(runtime),
        children_(std::move(children)) {}

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

  // The runtime knows the call by its span: when it failed over to get here, the event lists the
  // registrations it left (the provider cannot know them).
  void emitModelUsed(const ModelUsedEvent& event) const noexcept override {
    const Visit visit(*this);
    if (!visit.open()) return;
    try {
      std::vector<ProviderAttempt> attempts = runtime_.failedAttempts(event.trace);
      if (attempts.empty()) {
        events_.emit(event);
        return;
      }
      ModelUsedEvent completed = event;
      completed.failedAttempts = std::move(attempts);
      events_.emit(completed);
    } catch (...) {
      logger_.log(LogLevel::Warn, "events", "MODEL_USED dropped: out of memory");
    }
  }

  Expected<std::unique_ptr<ChildProcess>, std::string> startProcess(
      const ProcessSpec& spec) const noexcept override {
    const Visit visit(*this);
    if (!visit.open()) return std::string("the host is shutting down: no process is started");
    try {
      return process::spawnChild(spec, children_);
    } catch (const std::exception& e) {
      return std::string("cannot start a child process: ") + e.what();
    }
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
  const AgentRuntime& runtime_;  // built after this object, before any plugin can call it
  std::shared_ptr<process::OwnedGroups> children_;
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

namespace {

// AGENT_EVENT_QUEUE_CAPACITY: events that may wait for delivery at once.
std::size_t eventQueueCapacity(const Settings& settings, Logger& logger) {
  return countSetting(settings, logger, "host", "AGENT_EVENT_QUEUE_CAPACITY", 1, 1'000'000,
                      EventBus::kDefaultQueueCapacity);
}

}  // namespace

AgentHost::AgentHost(HostOptions options)
    : children_(std::make_shared<process::OwnedGroups>()),
      settings_(std::move(options.character), std::move(options.environment)),
      logger_(*options.logStream, options.logLevel),
      events_(logger_, eventQueueCapacity(settings_, logger_)),
      services_{std::make_shared<Services>(settings_, logger_, events_, runtime_, children_)},
      runtime_(settings_, registry_, logger_, &events_) {
  const auto directory = options.pluginsDirectory.empty() ? defaultPluginsDirectory(settings_)
                                                          : options.pluginsDirectory;
  PluginLoader loader(services_.services, settings_, registry_);
  plugins_ = loader.loadDirectory(directory);
  toolProviders_ = std::move(loader.contributions().tools);
  // MODEL_REGISTERED, in registration order. The bus keeps them and replays them to each
  // observer as it is attached (below, or later by the application), so none misses one.
  auto registrations = registry_.getModelRegistrations();
  std::stable_sort(registrations.begin(), registrations.end(),
                   [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
  for (auto& registration : registrations) {
    events_.emit(ModelRegisteredEvent{registration.type, std::move(registration.provider),
                                      registration.priority, std::move(registration.metadata)});
  }
  for (auto& observer : loader.contributions().observers)
    events_.addObserver(std::move(observer.observer));
}

// Children end first (the command tools among them end with their processes, before the runtime
// waits for the tool threads). Then plugins go before the services they were lent: the events
// still queued are delivered and the dispatcher stops (an observer may be about to export them),
// then observers and tool providers go (they may share an object with a model provider), then the
// registry's providers.
AgentHost::~AgentHost() {
  children_->endAll(std::chrono::milliseconds(100));
  events_.stop();
  events_.clearObservers();
  toolProviders_.clear();
}

StartedChild AgentHost::startChildProcess(const ProcessSpec& spec) {
  return process::spawnChild(spec, children_);
}

ChildStarter AgentHost::childStarter() const {
  return [children = children_](const ProcessSpec& spec) {
    return process::spawnChild(spec, children);
  };
}

}  // namespace agent::host
