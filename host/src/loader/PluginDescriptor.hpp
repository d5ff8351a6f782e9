// PluginDescriptor: what a plugin file says about itself, read from its "agentplg" section
// without loading the library (see agent/PluginEntry.hpp for the format).
//
// Checks, in this order, each a one-line problem: an ELF shared library for this machine, the
// section, the magic, the ABI version, the C++ ABI tag, the layout fingerprint; then decodes the
// manifest. Nothing of the plugin runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "agent/host/PluginLoader.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host {

/// The decoded manifest, and the versions the descriptor declared.
struct PluginDescriptor {
  std::uint32_t abiVersion = 0;
  std::uint32_t cxxAbiTag = 0;
  std::uint64_t layoutFingerprint = 0;
  std::string name;
  std::string version;
  std::string description;
  double defaultPriority = 0;
  std::string prioritySetting;  // empty: none
  std::vector<std::string> autoEnableKeys;
  std::vector<PluginSetting> settings;
  std::vector<ModelType> modelTypes;  // declared; names this host does not know are left out
};

/// Reads and checks the descriptor of the library open as `fd`; the error is the one-line reason
/// it is refused.
Expected<PluginDescriptor, std::string> readPluginDescriptor(int fd);

/// The same for `file`, opened the way the loader opens plugin files.
Expected<PluginDescriptor, std::string> readPluginDescriptor(const std::filesystem::path& file);

/// Checks and decodes a descriptor's bytes (the section's content).
Expected<PluginDescriptor, std::string> parsePluginDescriptor(std::string_view bytes);

}  // namespace agent::host
