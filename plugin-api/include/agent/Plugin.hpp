// Plugin.hpp: everything a provider plugin includes, and AGENT_PLUGIN, which exports it.
//
//   class EchoProvider : public agent::ModelProvider {
//    public:
//     explicit EchoProvider(const agent::HostServices& host);  // may throw: an init failure
//     ...
//   };
//   AGENT_PLUGIN(EchoProvider, kManifest)   // kManifest: a constexpr agent::PluginManifest
//
// AGENT_PLUGIN places the descriptor (versions, layout fingerprint and the encoded manifest) in
// section "agentplg", and defines the extern "C" entry with create/destroy, which catch every
// exception so none crosses into the host. Plain C++: no Boost is needed to build a plugin.
#pragma once

#include <cstdio>
#include <exception>

#include "agent/GenerateTextParams.hpp"
#include "agent/HostServices.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/PluginEntry.hpp"
#include "agent/PluginManifest.hpp"

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

template <class Provider>
ModelProvider* createProvider(const HostServices* host, char* error, std::size_t size) noexcept {
  try {
    return new Provider(*host);
  } catch (const std::exception& e) {
    writePluginError(error, size, e.what());
  } catch (...) {
    writePluginError(error, size, "unknown exception during plugin init");
  }
  return nullptr;
}

inline void destroyProvider(ModelProvider* provider) noexcept {
  delete provider;
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

/// Exports ProviderClass (constructed from `const agent::HostServices&`) under `manifestObject`.
/// Exactly one per library; use it at namespace scope.
#define AGENT_PLUGIN(ProviderClass, manifestObject)                                       \
  AGENT_PLUGIN_DESCRIPTOR(manifestObject)                                                 \
  extern "C" AGENT_PLUGIN_EXPORT const AgentPluginEntry* agent_plugin_entry() {           \
    static const AgentPluginEntry kEntry{AGENT_PLUGIN_ABI_VERSION,                        \
                                         ::agent::cxxAbiTag(),                            \
                                         ::agent::detail::layoutFingerprint(),            \
                                         ::agent::detail::interfaceShape(),               \
                                         &::agent::detail::createProvider<ProviderClass>, \
                                         &::agent::detail::destroyProvider};              \
    return &kEntry;                                                                       \
  }
