// Plugin.hpp: everything a provider plugin includes, and AGENT_PLUGIN, which exports it.
//
//   class EchoProvider : public agent::ModelProvider {
//    public:
//     explicit EchoProvider(const agent::HostServices& host);  // may throw: reported as init
//     failure
//     ...
//   };
//   AGENT_PLUGIN(EchoProvider, kEchoManifest)
//
// AGENT_PLUGIN defines create/destroy (catching every exception, so none crosses into the host)
// and exports the versioned entry under the one name the host looks for.
#pragma once

#include <cstdio>
#include <exception>

#include <boost/dll/alias.hpp>

#include "agent/GenerateTextParams.hpp"
#include "agent/HostServices.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/PluginEntry.hpp"

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

// One plugin per library: the entry function lives in a fixed namespace and is exported under
// AGENT_PLUGIN_ENTRY_NAME in section AGENT_PLUGIN_SECTION_NAME.
#define AGENT_PLUGIN(ProviderClass, manifestObject)                                          \
  namespace agent_plugin_export {                                                            \
  const AgentPluginEntry* entry() {                                                          \
    static const AgentPluginEntry kEntry{                                                    \
        AGENT_PLUGIN_ABI_VERSION, ::agent::cxxAbiTag(), &(manifestObject),                   \
        &::agent::detail::createProvider<ProviderClass>, &::agent::detail::destroyProvider}; \
    return &kEntry;                                                                          \
  }                                                                                          \
  }                                                                                          \
  BOOST_DLL_ALIAS_SECTIONED(agent_plugin_export::entry, agent_plugin_entry, agentplg)
