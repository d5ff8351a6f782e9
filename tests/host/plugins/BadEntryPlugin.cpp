// Test plugins whose descriptor is wrong. The host must reject them from the file alone, without
// loading them: the entry's create() would abort the process, so a host that calls it fails
// loudly.
//   BAD_ENTRY_WRONG_ABI  the descriptor's abiVersion is AGENT_PLUGIN_ABI_VERSION + 1
//   BAD_ENTRY_WRONG_TAG  the right ABI version, another C++ ABI tag
#include <agent/Plugin.hpp>

#include <cstdlib>

namespace {

bool abortingCreate(const agent::HostServices*, AgentPluginInstance*, char*, std::size_t) noexcept {
  std::abort();
}

void abortingDestroy(void*) noexcept {
  std::abort();
}

struct HandMadeDescriptor {
  AgentPluginDescriptorHeader header;
  char manifest[16];
};

#if defined(BAD_ENTRY_WRONG_ABI)
constexpr std::uint32_t kAbiVersion = AGENT_PLUGIN_ABI_VERSION + 1;
constexpr std::uint32_t kTag = agent::cxxAbiTag();
#else
constexpr std::uint32_t kAbiVersion = AGENT_PLUGIN_ABI_VERSION;
constexpr std::uint32_t kTag = agent::cxxAbiTag() ^ 0x100u;
#endif

}  // namespace

extern "C" AGENT_PLUGIN_EXPORT AGENT_PLUGIN_IN_SECTION constinit const HandMadeDescriptor
    agent_plugin_descriptor{{{'A', 'G', 'E', 'N', 'T', 'P', 'L', 'G'},
                             kAbiVersion,
                             kTag,
                             agent::detail::layoutFingerprint(),
                             16,
                             0},
                            "name\0badentry\0"};

extern "C" AGENT_PLUGIN_EXPORT const AgentPluginEntry* agent_plugin_entry() {
  static const AgentPluginEntry kEntry{
      kAbiVersion, kTag, agent::detail::layoutFingerprint(), 0, &abortingCreate, &abortingDestroy};
  return &kEntry;
}
