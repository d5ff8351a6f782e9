// Plugin.hpp: everything a plugin includes, and AGENT_PLUGIN, which exports it.
//
//   class EchoProvider : public agent::ModelProvider {
//    public:
//     explicit EchoProvider(const agent::HostServices& host);  // may throw: an init failure
//     ...
//   };
//   AGENT_PLUGIN(EchoProvider, kManifest)   // kManifest: a constexpr agent::PluginManifest
//
// The class derives from one or more of ModelProvider (serves model calls), ToolProvider (lends
// tools) and EventObserver (receives events); the host uses each interface it implements.
//
// AGENT_PLUGIN places the descriptor (versions, layout fingerprint and the encoded manifest) in
// section "agentplg", and defines the extern "C" entry with create/destroy, which catch every
// exception so none crosses into the host. Plain C++: no Boost is needed to build a plugin.
#pragma once

#include <cstdio>
#include <exception>

#include <type_traits>

#include "agent/EventObserver.hpp"
#include "agent/GenerateTextParams.hpp"
#include "agent/HostServices.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/ModelUsed.hpp"
#include "agent/PluginEntry.hpp"
#include "agent/PluginManifest.hpp"
#include "agent/ToolProvider.hpp"

#if defined(__GNUC__)
#define AGENT_PLUGIN_EXPORT __attribute__((visibility("default")))
#define AGENT_PLUGIN_IN_SECTION __attribute__((section(AGENT_PLUGIN_SECTION_NAME), used))
#else
#error "agent-host plugins are ELF shared libraries built with GCC or Clang"
#endif

namespace agent::detail {

inline void writePluginError(char* buffer, std::size_t size, const char* message) noexcept {
  if (buffer != nullptr && size > 0) std::snprintf(buffer, size, "%s", message);
}

template <class PluginClass>
bool createPlugin(const HostServices* host, AgentPluginInstance* instance, char* error,
                  std::size_t size) noexcept {
  static_assert(std::is_base_of_v<ModelProvider, PluginClass> ||
                    std::is_base_of_v<ToolProvider, PluginClass> ||
                    std::is_base_of_v<EventObserver, PluginClass>,
                "a plugin class derives from ModelProvider, ToolProvider or EventObserver");
  try {
    PluginClass* object = new PluginClass(*host);
    *instance = AgentPluginInstance{object, nullptr, nullptr, nullptr};
    if constexpr (std::is_base_of_v<ModelProvider, PluginClass>) instance->models = object;
    if constexpr (std::is_base_of_v<ToolProvider, PluginClass>) instance->tools = object;
    if constexpr (std::is_base_of_v<EventObserver, PluginClass>) instance->observer = object;
    return true;
  } catch (const std::exception& e) {
    writePluginError(error, size, e.what());
  } catch (...) {
    writePluginError(error, size, "unknown exception during plugin init");
  }
  return false;
}

template <class PluginClass>
void destroyPlugin(void* handle) noexcept {
  delete static_cast<PluginClass*>(handle);
}

}  // namespace agent::detail

/// The descriptor alone (AGENT_PLUGIN uses it; test plugins with a hand-made entry do too).
#define AGENT_PLUGIN_DESCRIPTOR(manifestObject)                                             \
  static_assert(!(manifestObject).name.empty(), "the plugin manifest needs a name");        \
  static_assert(::agent::detail::manifestTextIsClean(manifestObject),                       \
                "manifest texts must not hold NUL characters, and keys must not be empty"); \
  extern "C" AGENT_PLUGIN_EXPORT AGENT_PLUGIN_IN_SECTION constinit const ::agent::detail::  \
      PluginDescriptor<::agent::detail::encodedManifestSize(manifestObject)>                \
          agent_plugin_descriptor =                                                         \
              ::agent::detail::makeDescriptor<::agent::detail::encodedManifestSize(         \
                  manifestObject)>(manifestObject);

/// Exports PluginClass (constructed from `const agent::HostServices&`) under `manifestObject`.
/// Exactly one per library; use it at namespace scope.
#define AGENT_PLUGIN(PluginClass, manifestObject)                                       \
  AGENT_PLUGIN_DESCRIPTOR(manifestObject)                                               \
  extern "C" AGENT_PLUGIN_EXPORT const AgentPluginEntry* agent_plugin_entry() {         \
    static const AgentPluginEntry kEntry{AGENT_PLUGIN_ABI_VERSION,                      \
                                         ::agent::cxxAbiTag(),                          \
                                         ::agent::detail::layoutFingerprint(),          \
                                         ::agent::detail::interfaceShape(),             \
                                         &::agent::detail::createPlugin<PluginClass>,   \
                                         &::agent::detail::destroyPlugin<PluginClass>}; \
    return &kEntry;                                                                     \
  }
