// PluginLoader: finds provider plugins in a directory, loads the enabled ones with Boost.DLL, and
// registers them.
//
// Files are visited in sorted filename order so equal priorities always tie the same way. For each
// `*.so`: its permissions are checked (no group/other write, owned by this user or root), its
// descriptor is read from the file (ABI version, C++ ABI tag, layout fingerprint, manifest; no
// plugin code runs), autoEnable is applied (a disabled plugin is never loaded), the library is
// loaded with RTLD_NOW, the entry is checked against the descriptor, create() (the plugin's init)
// runs with a time limit, and its models are registered. Any failure skips that file with a
// one-line reason; the others still load.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/HostServices.hpp"

namespace agent::host {

class ModelRegistry;
class Settings;

/// A setting a plugin declares in its manifest (copied: the manifest goes when the library does).
struct PluginSetting {
  std::string key;
  std::optional<std::string> defaultValue;
  std::string description;
  bool secret = false;
};

struct PluginReport {
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

std::string_view toString(PluginReport::Status status);

/// Loads plugins. Settings it reads itself: AGENT_PLUGIN_INIT_TIMEOUT_MS (default 10000),
/// AGENT_PLUGINS_INSECURE (allow group/other-writable plugins, for development) and
/// AGENT_CHECK_PLUGIN_THREADS (warn about threads a plugin leaves running; default on in debug
/// builds).
class PluginLoader {
 public:
  PluginLoader(const HostServices& services, const Settings& settings, ModelRegistry& registry);

  /// Loads every plugin in `directory`. A missing directory yields one Skipped report.
  std::vector<PluginReport> loadDirectory(const std::filesystem::path& directory);

  /// Loads one plugin file.
  PluginReport loadFile(const std::filesystem::path& file);

 private:
  const HostServices& services_;
  const Settings& settings_;
  ModelRegistry& registry_;
  std::chrono::milliseconds initTimeout_{10000};
  bool allowInsecure_ = false;
  bool checkThreads_ = false;
  std::map<std::string, std::filesystem::path> loadedNames_;  // name -> the file that holds it
};

}  // namespace agent::host
