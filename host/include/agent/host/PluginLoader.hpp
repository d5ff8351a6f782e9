// PluginLoader: finds plugins in a directory, loads the enabled ones, and registers what they
// provide: models in the registry; tool providers and event observers in contributions().
//
// Each `*.so` is opened once (no symbolic links followed, FIFOs cannot block) and everything is
// checked from that descriptor: a regular file, its permissions (no group/other write, owned by
// this user or root), its descriptor (ABI version, C++ ABI tag, layout fingerprint, manifest; no
// plugin code runs). autoEnable is applied (a disabled plugin is never loaded). Then the enabled
// plugins load concurrently, each on a thread of its own under the init time limit: the dynamic
// loader loads that same open file (RTLD_NOW, and RTLD_NODELETE: a plugin is never unloaded), the
// entry is checked against the descriptor, create() and supportedModelTypes() run. Results are
// registered in sorted filename order, so equal priorities always tie the same way. Any failure
// skips that file with a one-line reason; the others still load.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/EventObserver.hpp"
#include "agent/HostServices.hpp"
#include "agent/ToolProvider.hpp"
#include "agent/host/Export.hpp"

namespace agent::host {

class ModelRegistry;
class Settings;
struct CreatedPlugin;
struct PluginIdentity;

/// A setting a plugin declares in its manifest (copied: the manifest goes when the library does).
struct PluginSetting {
  std::string key;
  std::optional<std::string> defaultValue;
  std::string description;
  bool secret = false;
};

struct [[nodiscard]] PluginReport {
  enum class Status { Loaded, Disabled, Skipped };

  std::filesystem::path path;
  Status status = Status::Skipped;
  std::string name;     // from the manifest, when it was read
  std::string version;  // from the manifest, when it was read
  double priority = 0;
  std::vector<ModelType> modelTypes;          // registered types, when loaded
  std::vector<ModelType> declaredModelTypes;  // from the manifest, when it declares them
  std::string reason;                         // why it was disabled or skipped
  bool initFailed = false;  // skipped because its init refused (usually a wrong setting)
  std::string description;  // from the manifest, when it was read
  std::vector<std::string> autoEnableKeys;  // from the manifest, when it was read
  std::vector<PluginSetting> settings;      // from the manifest, when it was read
};

AGENT_HOST_API std::string_view toString(PluginReport::Status status);

/// A ToolProvider a loaded plugin lends, under the plugin's name.
struct NamedToolProvider {
  std::string plugin;
  std::shared_ptr<ToolProvider> provider;
};

/// An EventObserver a loaded plugin is, under the plugin's name.
struct NamedObserver {
  std::string plugin;
  std::shared_ptr<EventObserver> observer;
};

/// What loaded plugins lend besides model handlers, in load order.
struct PluginContributions {
  std::vector<NamedToolProvider> tools;
  std::vector<NamedObserver> observers;
};

/// Loads plugins. Settings it reads itself: AGENT_PLUGIN_INIT_TIMEOUT_MS (default 10000),
/// AGENT_PLUGINS_INSECURE (allow group/other-writable plugins, for development) and
/// AGENT_CHECK_PLUGIN_THREADS (warn about threads a plugin leaves running; default on in debug
/// builds).
class AGENT_HOST_API PluginLoader {
 public:
  /// Plugins, and init threads the loader gave up waiting for, hold `services` as long as they
  /// run: it outlives them.
  PluginLoader(std::shared_ptr<const HostServices> services, const Settings& settings,
               ModelRegistry& registry);
  /// For tests: the caller keeps `services` alive longer than every plugin, and for good when an
  /// init may time out.
  PluginLoader(const HostServices& services, const Settings& settings, ModelRegistry& registry);

  /// Loads every plugin in `directory`. A missing directory yields one Skipped report.
  std::vector<PluginReport> loadDirectory(const std::filesystem::path& directory);

  /// Loads one plugin file.
  PluginReport loadFile(const std::filesystem::path& file);

  /// Loads plugin files, in this order (registration order: ties go to the earlier file).
  std::vector<PluginReport> loadFiles(const std::vector<std::filesystem::path>& files);

  /// The tool providers and observers of the plugins loaded so far.
  PluginContributions& contributions() noexcept { return contributions_; }

 private:
  struct Candidate;

  PluginReport& skip(PluginReport& report, std::string reason);
  std::optional<Candidate> examine(PluginReport& report, std::size_t index);
  bool enabled(PluginReport& report);
  void loadRound(std::vector<Candidate>& round, std::vector<PluginReport>& reports);
  void registerPlugin(PluginReport& report, CreatedPlugin loaded,
                      std::shared_ptr<const PluginIdentity> plugin, std::set<pid_t> startedByInit);

  std::shared_ptr<const HostServices> services_;
  const Settings& settings_;
  ModelRegistry& registry_;
  std::chrono::milliseconds initTimeout_{10000};
  bool allowInsecure_ = false;
  bool checkThreads_ = false;
  std::map<std::string, std::filesystem::path> loadedNames_;  // name -> the file that holds it
  PluginContributions contributions_;
};

}  // namespace agent::host
