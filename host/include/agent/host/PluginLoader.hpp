// PluginLoader: finds provider plugins in a directory, loads them with Boost.DLL, and registers
// the enabled ones.
//
// Files are visited in sorted filename order so equal priorities always tie the same way. For each
// `*.so`: the ELF is read for the entry (no plugin code runs), the library is loaded with
// RTLD_NOW, the entry's ABI version and C++ ABI tag are checked, autoEnable is applied, create()
// (the plugin's init) runs, and its models are registered. Any failure skips that file with a
// one-line reason; the others still load.
#pragma once

#include <filesystem>
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
  int priority = 0;
  std::vector<ModelType> modelTypes;        // registered types, when loaded
  std::string reason;                       // why it was disabled or skipped
  std::string description;                  // from the manifest, when it was read
  std::vector<std::string> autoEnableKeys;  // from the manifest, when it was read
  std::vector<PluginSetting> settings;      // from the manifest, when it was read
};

std::string_view toString(PluginReport::Status status);

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
};

}  // namespace agent::host
