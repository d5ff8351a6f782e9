// Test plugins with a broken entry. The host must reject them from the entry's first fields,
// without calling create() (which aborts the process here, so a host that calls it fails loudly).
//   BAD_ENTRY_WRONG_ABI  abiVersion is AGENT_PLUGIN_ABI_VERSION + 1 (and the manifest is null)
//   BAD_ENTRY_WRONG_TAG  the right ABI version, another C++ ABI tag
#include <agent/Plugin.hpp>

#include <cstdlib>

namespace {

agent::ModelProvider* abortingCreate(const agent::HostServices*, char*, std::size_t) noexcept {
  std::abort();
}

void abortingDestroy(agent::ModelProvider*) noexcept {
  std::abort();
}

constexpr agent::PluginManifest kManifest{"badentry", "", "0", 0, nullptr, nullptr, 0, nullptr, 0};

}  // namespace

namespace agent_plugin_export {
const AgentPluginEntry* entry() {
#if defined(BAD_ENTRY_WRONG_ABI)
  static const AgentPluginEntry kEntry{AGENT_PLUGIN_ABI_VERSION + 1, 0xdeadbeefu, nullptr,
                                       &abortingCreate, &abortingDestroy};
#else
  static const AgentPluginEntry kEntry{AGENT_PLUGIN_ABI_VERSION, ::agent::cxxAbiTag() ^ 0x100u,
                                       &kManifest, &abortingCreate, &abortingDestroy};
#endif
  return &kEntry;
}
}  // namespace agent_plugin_export

BOOST_DLL_ALIAS_SECTIONED(agent_plugin_export::entry, agent_plugin_entry, agentplg)
