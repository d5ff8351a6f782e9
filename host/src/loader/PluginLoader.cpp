#include "agent/host/PluginLoader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "PluginCallGuard.hpp"
#include "PluginDescriptor.hpp"
#include "PluginFile.hpp"
#include "PluginInit.hpp"
#include "PluginPermissions.hpp"
#include "ThreadCensus.hpp"
#include "agent/PluginEntry.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/Settings.hpp"
#include "agent/support/Text.hpp"

namespace agent::host {

std::string_view toString(PluginReport::Status status) {
  switch (status) {
    case PluginReport::Status::Loaded:
      return "loaded";
    case PluginReport::Status::Disabled:
      return "disabled";
    case PluginReport::Status::Skipped:
      return "skipped";
  }
  return "unknown";
}

namespace {

constexpr std::string_view kSource = "loader";
constexpr const char* kInitTimeoutSetting = "AGENT_PLUGIN_INIT_TIMEOUT_MS";
constexpr const char* kThreadCheckSetting = "AGENT_CHECK_PLUGIN_THREADS";
#if defined(NDEBUG)
constexpr bool kThreadCheckByDefault = false;
#else
constexpr bool kThreadCheckByDefault = true;
#endif

// A number in the text form users write: 5, -1.5.
std::string formatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

// The effective priority: the manifest default, overridden by the priority setting when that
// holds a finite number. Anything else in it earns one warning naming the setting and the value.
double resolvePriority(const PluginDescriptor& descriptor, const Settings& settings,
                       const HostServices& services) {
  const double fallback = descriptor.defaultPriority;
  if (descriptor.prioritySetting.empty()) return fallback;
  const auto value = settings.get(descriptor.prioritySetting);
  if (!value || text::isBlank(*value)) return fallback;
  if (const auto parsed = ::agent::text::parseNumber(*value)) return *parsed;
  services.log(LogLevel::Warn, descriptor.name,
               descriptor.prioritySetting + " is not a number: \"" + text::oneLine(*value) +
                   "\"; using the default priority " + formatNumber(fallback));
  return fallback;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// An on/off loader setting; a value that is neither earns a warning and the default.
bool switchSetting(const Settings& settings, const HostServices& services, const char* key,
                   bool fallback) {
  const auto value = settings.get(key);
  if (!value || text::isBlank(*value)) return fallback;
  if (const auto parsed = ::agent::text::parseSwitch(*value)) return *parsed;
  services.log(LogLevel::Warn, kSource,
               std::string(key) + " must be one of " + std::string(::agent::text::kSwitchWords) +
                   ", not \"" + text::oneLine(*value) + "\"; using " +
                   (fallback ? "true" : "false"));
  return fallback;
}

}  // namespace

PluginLoader::PluginLoader(std::shared_ptr<const HostServices> services, const Settings& settings,
                           ModelRegistry& registry)
    : services_(std::move(services)), settings_(settings), registry_(registry) {
  installPluginCrashReporter();
  allowInsecure_ = switchSetting(settings_, *services_, kInsecurePluginsSetting, false);
  checkThreads_ = switchSetting(settings_, *services_, kThreadCheckSetting, kThreadCheckByDefault);
  if (const auto value = settings_.get(kInitTimeoutSetting); value && !text::isBlank(*value)) {
    const auto parsed = text::parseInt64(*value);
    if (parsed && *parsed > 0) {
      initTimeout_ = std::chrono::milliseconds(*parsed);
    } else {
      services_->log(LogLevel::Warn, kSource,
                     std::string(kInitTimeoutSetting) +
                         " must be a positive number of "
                         "milliseconds, not \"" +
                         text::oneLine(*value) + "\"; using " +
                         std::to_string(initTimeout_.count()));
    }
  }
}

// No owner: the caller keeps `services` alive (see the header).
PluginLoader::PluginLoader(const HostServices& services, const Settings& settings,
                           ModelRegistry& registry)
    : PluginLoader(std::shared_ptr<const HostServices>(std::shared_ptr<void>(), &services),
                   settings, registry) {}

std::vector<PluginReport> PluginLoader::loadDirectory(const std::filesystem::path& directory) {
  std::vector<PluginReport> reports;
  const auto refuseDirectory = [&](std::string reason) {
    PluginReport report;
    report.path = directory;
    report.reason = std::move(reason);
    services_->log(LogLevel::Warn, kSource, directory.string() + ": " + report.reason);
    reports.push_back(std::move(report));
    return reports;
  };
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    return refuseDirectory("plugins directory not found (use --plugins-dir or AGENT_PLUGINS_DIR)");
  }
  if (!allowInsecure_) {
    if (auto checked = checkDirectoryPermissions(directory); !checked) {
      return refuseDirectory(std::move(checked).error());
    }
  }

  // Only *.so, in sorted filename order, so equal priorities always tie the same way.
  std::vector<std::filesystem::path> files;
  std::filesystem::directory_iterator it(directory, ec);
  if (ec) {
    // Not a silent "no plugins": the user would only see that no provider is configured.
    return refuseDirectory("cannot list the plugins directory: " + ec.message());
  }
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const auto& path = it->path();
    if (path.extension() == ".so") files.push_back(path);
  }
  if (ec) {
    services_->log(LogLevel::Warn, kSource,
                   "listing " + directory.string() + " stopped early: " + ec.message());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.filename().native() < b.filename().native();
  });
  return loadFiles(files);
}

PluginReport PluginLoader::loadFile(const std::filesystem::path& file) {
  return loadFiles({file}).front();
}

PluginReport& PluginLoader::skip(PluginReport& report, std::string reason) {
  report.status = PluginReport::Status::Skipped;
  report.reason = text::oneLine(reason);
  services_->log(LogLevel::Warn, kSource, "skipped " + report.path.string() + ": " + report.reason);
  return report;
}

// A file whose descriptor passed, waiting for its turn to load.
struct PluginLoader::Candidate {
  std::size_t index;  // into the reports
  PluginFile file;
  PluginDescriptor descriptor;
};

std::optional<PluginLoader::Candidate> PluginLoader::examine(PluginReport& report,
                                                             std::size_t index) {
  auto opened = openPluginFile(report.path);
  if (!opened) {
    skip(report, std::move(opened).error());
    return std::nullopt;
  }
  PluginFile file = std::move(opened).value();
  if (!allowInsecure_) {
    if (auto checked = checkPermissions(report.path, file.status()); !checked) {
      skip(report, std::move(checked).error());
      return std::nullopt;
    }
  }
  // The descriptor, read from the open file: versions, fingerprint, manifest. No plugin code runs.
  auto read = readPluginDescriptor(file.fd());
  if (!read) {
    skip(report, std::move(read).error());
    return std::nullopt;
  }
  PluginDescriptor descriptor = std::move(read).value();
  report.name = descriptor.name;
  report.version = descriptor.version;
  report.description = descriptor.description;
  report.priority = descriptor.defaultPriority;
  report.autoEnableKeys = descriptor.autoEnableKeys;
  report.settings = descriptor.settings;
  report.declaredModelTypes = descriptor.modelTypes;
  return Candidate{index, std::move(file), std::move(descriptor)};
}

std::vector<PluginReport> PluginLoader::loadFiles(const std::vector<std::filesystem::path>& files) {
  std::vector<PluginReport> reports(files.size());
  std::vector<Candidate> pending;
  for (std::size_t i = 0; i < files.size(); ++i) {
    reports[i].path = files[i];
    if (auto candidate = examine(reports[i], i)) pending.push_back(std::move(*candidate));
  }

  // Rounds: each loads, concurrently, at most one file per plugin name. A file whose name an
  // earlier file of this round claims waits for the next round, and loads only if that one failed
  // (as a one-by-one scan in filename order would).
  while (!pending.empty()) {
    std::vector<Candidate> round;
    std::vector<Candidate> later;
    std::set<std::string> claimed;
    for (Candidate& candidate : pending) {
      PluginReport& report = reports[candidate.index];
      if (const auto taken = loadedNames_.find(report.name); taken != loadedNames_.end()) {
        skip(report, "a plugin named '" + report.name + "' is already loaded from " +
                         taken->second.string());
      } else if (claimed.count(report.name) != 0) {
        later.push_back(std::move(candidate));
      } else if (enabled(report)) {
        claimed.insert(report.name);
        round.push_back(std::move(candidate));
      }
    }
    loadRound(round, reports);
    pending = std::move(later);
  }
  return reports;
}

bool PluginLoader::enabled(PluginReport& report) {
  // autoEnable: declared keys are OR-ed; a key counts when its value is not blank. A disabled
  // plugin is never loaded, so none of its code runs.
  if (report.autoEnableKeys.empty()) return true;
  const bool on = std::any_of(report.autoEnableKeys.begin(), report.autoEnableKeys.end(),
                              [this](const std::string& key) { return settings_.isSet(key); });
  if (on) return true;
  report.status = PluginReport::Status::Disabled;
  report.reason = "off until " + joined(report.autoEnableKeys, " or ") + " is set";
  services_->log(LogLevel::Info, kSource, report.name + " disabled (" + report.reason + ")");
  return false;
}

void PluginLoader::loadRound(std::vector<Candidate>& round, std::vector<PluginReport>& reports) {
  struct Started {
    Candidate* candidate;
    std::shared_ptr<const PluginIdentity> plugin;
    std::optional<PluginLoading> loading;
    std::set<pid_t> threadsBefore;
    std::chrono::steady_clock::time_point deadline;
  };
  const auto begin = [&](Candidate& candidate) {
    PluginReport& report = reports[candidate.index];
    report.priority = resolvePriority(candidate.descriptor, settings_, *services_);
    services_->log(LogLevel::Debug, kSource,
                   "loading " + report.name + " from " + report.path.string());
    Started started{&candidate,
                    makePluginIdentity(report.name, report.path.string()),
                    std::nullopt,
                    {},
                    std::chrono::steady_clock::now() + initTimeout_};
    if (checkThreads_) started.threadsBefore = threadIds();
    auto loading = PluginLoading::start(PluginLoadJob{
        std::move(candidate.file), report.path, candidate.descriptor, started.plugin, services_});
    if (!loading) {
      skip(report, std::move(loading).error().reason);
    } else {
      started.loading.emplace(std::move(loading).value());
    }
    return started;
  };
  const auto finish = [&](Started& started) {
    if (!started.loading) return;
    PluginReport& report = reports[started.candidate->index];
    auto outcome = started.loading->waitUntil(started.deadline);
    if (!outcome) {
      LoadFailure failure = std::move(outcome).error();
      report.initFailed = failure.initFailed;
      if (failure.timedOut) {
        failure.reason = "init did not finish in " + std::to_string(initTimeout_.count()) +
                         " ms (init must be quick; " + std::string(kInitTimeoutSetting) +
                         " sets the limit)";
      }
      skip(report, std::move(failure.reason));
      return;
    }
    std::set<pid_t> startedByInit;
    if (checkThreads_) {
      startedByInit = newThreads(started.threadsBefore, threadIds());
      startedByInit.erase(outcome.value().loadThread);
    }
    registerPlugin(report, std::move(outcome).value(), started.plugin, std::move(startedByInit));
  };

  // The thread census needs one load at a time to tell whose threads are whose.
  std::vector<Started> running;
  running.reserve(round.size());
  for (Candidate& candidate : round) {
    running.push_back(begin(candidate));
    if (checkThreads_) finish(running.back());
  }
  if (!checkThreads_) {
    for (Started& started : running)
      finish(started);
  }
}

void PluginLoader::registerPlugin(PluginReport& report, CreatedPlugin loaded,
                                  std::shared_ptr<const PluginIdentity> plugin,
                                  std::set<pid_t> startedByInit) {
  // The plugin's destroy() runs when the last reference to its interfaces goes. Each interface
  // the plugin implements shares this one owner. The library is never unloaded (RTLD_NODELETE),
  // so a thread the plugin leaves running is named, not fatal.
  const AgentPluginInstance instance = loaded.instance;
  std::shared_ptr<void> owner(instance.handle, [library = loaded.library,
                                                destroy = loaded.entry->destroy, startedByInit,
                                                plugin, services = services_](void* handle) {
    const PluginCallScope scope(plugin.get(), "destroy");
    destroy(handle);
    if (startedByInit.empty()) return;
    std::set<pid_t> alive;
    const std::set<pid_t> now = threadIds();
    std::set_intersection(startedByInit.begin(), startedByInit.end(), now.begin(), now.end(),
                          std::inserter(alive, alive.end()));
    if (alive.empty()) return;
    services->log(LogLevel::Warn, kSource,
                  plugin->name + " (" + plugin->file + ") left " + std::to_string(alive.size()) +
                      " thread(s) running after destroy(): join every thread you start in "
                      "your destructor. Its library stays loaded.");
  });
  if (instance.tools != nullptr) {
    contributions_.tools.push_back(
        {report.name,
         guardToolProvider(std::shared_ptr<ToolProvider>(owner, instance.tools), plugin)});
  }
  if (instance.observer != nullptr) {
    contributions_.observers.push_back(
        {report.name,
         guardObserver(std::shared_ptr<EventObserver>(owner, instance.observer), plugin)});
  }
  loadedNames_.emplace(report.name, report.path);
  report.status = PluginReport::Status::Loaded;
  if (instance.models == nullptr) {
    services_->log(
        LogLevel::Info, kSource,
        "loaded " + report.name + " " + report.version + " from " + report.path.string());
    return;
  }
  std::shared_ptr<ModelProvider> guarded =
      guardProvider(std::shared_ptr<ModelProvider>(owner, instance.models), plugin);

  const std::vector<ModelType>& types = loaded.modelTypes;
  if (types.empty()) {
    services_->log(LogLevel::Warn, report.name,
                   "supportedModelTypes() is empty: the plugin loads but is never called");
  }
  if (!report.declaredModelTypes.empty() &&
      std::set<ModelType>(types.begin(), types.end()) !=
          std::set<ModelType>(report.declaredModelTypes.begin(), report.declaredModelTypes.end())) {
    services_->log(LogLevel::Warn, report.name,
                   "supportedModelTypes() differs from the manifest's modelTypes; the host "
                   "registers what supportedModelTypes() returns");
  }

  std::set<ModelType> seen;
  for (ModelType type : types) {
    if (!seen.insert(type).second) continue;
    registry_.registerModel(type, guarded, report.name, report.priority,
                            guarded->modelMetadata(type));
    report.modelTypes.push_back(type);
  }
  services_->log(LogLevel::Info, kSource,
                 "loaded " + report.name + " " + report.version + " from " + report.path.string() +
                     " (priority " + formatNumber(report.priority) + ", " +
                     std::to_string(report.modelTypes.size()) + " model types)");
}

}  // namespace agent::host
