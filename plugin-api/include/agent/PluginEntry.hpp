// PluginEntry: the one symbol a provider plugin exports, and the manifest it describes itself with.
//
// The host reads the entry before it calls anything else in the library: abiVersion first, then
// cxxAbiTag. Only when both match does it read the manifest or call create(). This is the LLVM
// pass-plugin pattern: a plain C struct, versioned, with creation and destruction inside the
// plugin.
//
// A plugin author does not fill the struct by hand; see AGENT_PLUGIN in agent/Plugin.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "agent/HostServices.hpp"
#include "agent/ModelProvider.hpp"

/// Bump on any change to AgentPluginEntry, PluginManifest or the C++ interfaces they lead to.
#define AGENT_PLUGIN_ABI_VERSION 1u

/// The exported alias and the ELF section it lives in (sections let the host find the entry
/// without running any code of the library).
#define AGENT_PLUGIN_ENTRY_NAME "agent_plugin_entry"
#define AGENT_PLUGIN_SECTION_NAME "agentplg"

namespace agent {

/// The C++ ABI the plugin was compiled against. The interfaces pass std::string and friends, which
/// is safe only when host and plugin agree on this tag.
constexpr std::uint32_t cxxAbiTag() {
#if defined(__GXX_ABI_VERSION)
  const std::uint32_t gxx = __GXX_ABI_VERSION;
#else
  const std::uint32_t gxx = 0;
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
  const std::uint32_t dual = _GLIBCXX_USE_CXX11_ABI;
#else
  const std::uint32_t dual = 0;
#endif
  return (gxx << 8) | (dual << 4) | 0x1u;
}

/// A setting a plugin reads; listed by `agent-host providers` and in docs.
struct SettingSpec {
  const char* key;
  const char* defaultValue;  // nullptr when there is none
  const char* description;
  bool secret;  // never printed
};

/// Static facts about a plugin. Everything points to storage with static duration.
struct PluginManifest {
  const char* name;  // the provider name models are registered under, e.g. "bitrouter"
  const char* description;
  const char* version;
  int defaultPriority;
  const char* prioritySetting;  // setting that overrides defaultPriority, or nullptr
  // autoEnable: the plugin is enabled iff one of these settings is non-blank. None: always enabled.
  const char* const* autoEnableKeys;
  std::size_t autoEnableKeyCount;
  const SettingSpec* settings;
  std::size_t settingCount;
};

}  // namespace agent

extern "C" {

/// What the exported function returns. Field order is fixed by AGENT_PLUGIN_ABI_VERSION.
struct AgentPluginEntry {
  std::uint32_t abiVersion;  // AGENT_PLUGIN_ABI_VERSION
  std::uint32_t cxxAbiTag;   // agent::cxxAbiTag()
  const agent::PluginManifest* manifest;
  /// The plugin's init: checks settings, prepares the provider. Returns nullptr on failure and
  /// writes a one-line reason into `error` (NUL-terminated, at most errorSize bytes). `host`
  /// outlives the provider.
  agent::ModelProvider* (*create)(const agent::HostServices* host, char* error,
                                  std::size_t errorSize) noexcept;
  void (*destroy)(agent::ModelProvider* provider) noexcept;
};

/// The signature of the exported function.
typedef const AgentPluginEntry* AgentPluginEntryFunction();
}
