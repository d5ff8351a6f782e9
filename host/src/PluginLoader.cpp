#include "agent/host/PluginLoader.hpp"

#include <fcntl.h>
#include <unistd.h>

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

#include <boost/dll/shared_library.hpp>

#include "LoadErrors.hpp"
#include "PluginCallGuard.hpp"
#include "PluginDescriptor.hpp"
#include "PluginEntryCheck.hpp"
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

using Library = std::shared_ptr<boost::dll::shared_library>;

// Libraries that must never be unloaded: a plugin thread may still run their code. Deliberately
// leaked, so not even exit() unmaps them.
void keepLoadedForever(Library library) {
  static std::mutex mutex;
  static auto* kept = new std::vector<Library>();
  const std::lock_guard lock(mutex);
  kept->push_back(std::move(library));
}

// A number in the text form users write: 5, -1.5.
std::string formatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

// Why `file` cannot be a plugin before anything reads it, or nullopt when it is a readable file.
// Catches what must not crash (or hang) a scan: symlink loops, dangling links, directories or FIFOs
// named x.so, unreadable files.
std::optional<std::string> unreadableReason(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec) return "cannot stat: " + ec.message();
  if (std::filesystem::is_directory(status)) return std::string("is a directory, not a library");
  if (!std::filesystem::is_regular_file(status)) return std::string("not a regular file");
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  ::close(fd);
  return std::nullopt;
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

PluginLoader::PluginLoader(const HostServices& services, const Settings& settings,
                           ModelRegistry& registry)
    : services_(services), settings_(settings), registry_(registry) {
  installPluginTerminateHandler();
  allowInsecure_ = switchSetting(settings_, services_, kInsecurePluginsSetting, false);
  checkThreads_ = switchSetting(settings_, services_, kThreadCheckSetting, kThreadCheckByDefault);
  if (const auto value = settings_.get(kInitTimeoutSetting); value && !text::isBlank(*value)) {
    const auto parsed = text::parseInt64(*value);
    if (parsed && *parsed > 0) {
      initTimeout_ = std::chrono::milliseconds(*parsed);
    } else {
      services_.log(LogLevel::Warn, kSource,
                    std::string(kInitTimeoutSetting) +
                        " must be a positive number of "
                        "milliseconds, not \"" +
                        text::oneLine(*value) + "\"; using " +
                        std::to_string(initTimeout_.count()));
    }
  }
}

std::vector<PluginReport> PluginLoader::loadDirectory(const std::filesystem::path& directory) {
  std::vector<PluginReport> reports;
  const auto refuseDirectory = [&](std::string reason) {
    PluginReport report;
    report.path = directory;
    report.reason = std::move(reason);
    services_.log(LogLevel::Warn, kSource, directory.string() + ": " + report.reason);
    reports.push_back(std::move(report));
    return reports;
  };
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    return refuseDirectory("plugins directory not found (use --plugins-dir or AGENT_PLUGINS_DIR)");
  }
  if (!allowInsecure_) {
    if (auto reason = insecurePermissions(directory)) return refuseDirectory(*reason);
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
    services_.log(LogLevel::Warn, kSource,
                  "listing " + directory.string() + " stopped early: " + ec.message());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.filename().native() < b.filename().native();
  });

  for (const auto& file : files)
    reports.push_back(loadFile(file));
  return reports;
}

PluginReport PluginLoader::loadFile(const std::filesystem::path& file) {
  PluginReport report;
  report.path = file;
  const auto skip = [&](std::string reason) {
    report.status = PluginReport::Status::Skipped;
    report.reason = text::oneLine(reason);
    services_.log(LogLevel::Warn, kSource, "skipped " + file.string() + ": " + report.reason);
    return report;
  };

  if (auto reason = unreadableReason(file)) return skip(*reason);
  if (!allowInsecure_) {
    if (auto reason = insecurePermissions(file)) return skip(*reason);
  }

  // The descriptor, read from the file: versions, fingerprint, manifest. No plugin code runs.
  auto read = readPluginDescriptor(file);
  if (auto* problem = std::get_if<std::string>(&read)) return skip(*problem);
  const PluginDescriptor& descriptor = std::get<PluginDescriptor>(read);
  report.name = descriptor.name;
  report.version = descriptor.version;
  report.description = descriptor.description;
  report.priority = descriptor.defaultPriority;
  report.autoEnableKeys = descriptor.autoEnableKeys;
  report.settings = descriptor.settings;
  report.declaredModelTypes = descriptor.modelTypes;

  if (const auto taken = loadedNames_.find(report.name); taken != loadedNames_.end()) {
    return skip("a plugin named '" + report.name + "' is already loaded from " +
                taken->second.string());
  }

  // autoEnable: declared keys are OR-ed; a key counts when its value is not blank. A disabled
  // plugin is never loaded, so none of its code runs.
  if (!report.autoEnableKeys.empty()) {
    const bool enabled =
        std::any_of(report.autoEnableKeys.begin(), report.autoEnableKeys.end(),
                    [this](const std::string& key) { return settings_.isSet(key); });
    if (!enabled) {
      report.status = PluginReport::Status::Disabled;
      report.reason = "off until " + joined(report.autoEnableKeys, " or ") + " is set";
      services_.log(LogLevel::Info, kSource, report.name + " disabled (" + report.reason + ")");
      return report;
    }
  }

  report.priority = resolvePriority(descriptor, settings_, services_);
  services_.log(LogLevel::Debug, kSource, "loading " + report.name + " from " + file.string());

  // RTLD_NOW: an undefined symbol fails here, catchably, instead of killing the process at the
  // first call. The throwing constructor keeps dlerror's text.
  Library library;
  try {
    library = std::make_shared<boost::dll::shared_library>(
        file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return skip(describeLoadFailure(e.what()));
  }

  auto plugin = std::make_shared<const PluginIdentity>(PluginIdentity{report.name, file.string()});
  auto checked = checkedEntry(*library, descriptor, *plugin);
  if (auto* problem = std::get_if<std::string>(&checked)) return skip(*problem);
  const AgentPluginEntry* entry = std::get<const AgentPluginEntry*>(checked);

  // init: the plugin's create(), on its own thread and with a time limit.
  const std::set<pid_t> threadsBefore = checkThreads_ ? threadIds() : std::set<pid_t>{};
  const PluginInitOutcome init = runPluginInit(entry->create, services_, initTimeout_, plugin);
  if (init.timedOut) {
    keepLoadedForever(library);  // its init thread still runs the library's code
    return skip("init did not finish in " + std::to_string(initTimeout_.count()) +
                " ms (init must be quick; " + std::string(kInitTimeoutSetting) +
                " sets the limit)");
  }
  if (!init.instance) {
    report.initFailed = true;
    return skip("init failed: " +
                (init.error.empty() ? std::string("no reason given") : init.error));
  }
  std::set<pid_t> startedByInit;
  if (checkThreads_) {
    startedByInit = newThreads(threadsBefore, threadIds());
    startedByInit.erase(init.initThread);
  }

  // The deleter owns the library: the plugin's destroy() runs first, then the last reference to
  // the library goes and it is unloaded, unless a thread the plugin started still runs. Each
  // interface the plugin implements shares this one owner.
  const AgentPluginInstance instance = *init.instance;
  std::shared_ptr<void> owner(instance.handle, [library, destroy = entry->destroy, startedByInit,
                                                plugin, &services = services_](void* handle) {
    const PluginCallScope scope(plugin.get());
    destroy(handle);
    if (startedByInit.empty()) return;
    std::set<pid_t> alive;
    const std::set<pid_t> now = threadIds();
    std::set_intersection(startedByInit.begin(), startedByInit.end(), now.begin(), now.end(),
                          std::inserter(alive, alive.end()));
    if (alive.empty()) return;
    services.log(LogLevel::Warn, kSource,
                 plugin->name + " (" + plugin->file + ") left " + std::to_string(alive.size()) +
                     " thread(s) running after destroy(): join every thread you start in "
                     "your destructor. Its library stays loaded.");
    keepLoadedForever(library);
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
  if (instance.models == nullptr) {
    loadedNames_.emplace(report.name, file);
    report.status = PluginReport::Status::Loaded;
    services_.log(LogLevel::Info, kSource,
                  "loaded " + report.name + " " + report.version + " from " + file.string());
    return report;
  }
  std::shared_ptr<ModelProvider> guarded =
      guardProvider(std::shared_ptr<ModelProvider>(owner, instance.models), plugin);

  const std::vector<ModelType> types = guarded->supportedModelTypes();
  if (types.empty()) {
    services_.log(LogLevel::Warn, report.name,
                  "supportedModelTypes() is empty: the plugin loads but is never called");
  }
  if (!report.declaredModelTypes.empty() &&
      std::set<ModelType>(types.begin(), types.end()) !=
          std::set<ModelType>(report.declaredModelTypes.begin(), report.declaredModelTypes.end())) {
    services_.log(LogLevel::Warn, report.name,
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

  loadedNames_.emplace(report.name, file);
  report.status = PluginReport::Status::Loaded;
  services_.log(LogLevel::Info, kSource,
                "loaded " + report.name + " " + report.version + " from " + file.string() +
                    " (priority " + formatNumber(report.priority) + ", " +
                    std::to_string(report.modelTypes.size()) + " model types)");
  return report;
}

}  // namespace agent::host
