// Libraries with an agent-host descriptor that are not what it promises. Each CMake target
// compiles this file with one FAULT_ENTRY_* definition. Where the host would call create() or
// destroy() by mistake, they abort, so such a mistake fails the test loudly.
// A valid descriptor (read from the file), then an entry that is wrong:
//   FAULT_ENTRY_NULL             the entry returns nullptr
//   FAULT_ENTRY_INT              the entry is a function returning an int (0x2a), not a pointer
//   FAULT_ENTRY_DATA             the entry symbol is a data object, not a function
//   FAULT_ENTRY_HEAP             a well-formed entry, but on the heap, outside the library
//   FAULT_ENTRY_MISALIGNED       a pointer into the library that is not aligned for the struct
//   FAULT_ENTRY_GARBAGE          a struct of 0x41 bytes inside the library
//   FAULT_ENTRY_WILD_CREATE      the right versions, create = 0x1234
//   FAULT_ENTRY_CREATE_IN_DATA   the right versions, create points to data
//   FAULT_ENTRY_THROWS           the entry function throws
//   FAULT_ENTRY_OTHER_SHAPE      the interfaces' shape differs from the host's
//   FAULT_ENTRY_MISSING          no entry function at all
// A wrong descriptor (the library is never loaded):
//   FAULT_ENTRY_WRONG_ABI        abiVersion is one more than the host's
//   FAULT_ENTRY_WRONG_TAG        another C++ ABI tag
//   FAULT_ENTRY_BAD_MAGIC        the section holds something else
//   FAULT_ENTRY_CUT_MANIFEST     manifestSize is larger than the section
#include <agent/Plugin.hpp>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>

namespace {

[[maybe_unused]] bool abortingCreate(const agent::HostServices*, AgentPluginInstance*, char*,
                                     std::size_t) noexcept {
  std::abort();
}

[[maybe_unused]] void abortingDestroy(void*) noexcept {
  std::abort();
}

constexpr agent::PluginManifest kManifest{.name = "badentry", .version = "0"};

using CreateFunction = decltype(AgentPluginEntry::create);

// Bytes that are not code: x86 would fault on 0x0f 0x0b (ud2) if they ever ran.
[[maybe_unused]] alignas(16) const unsigned char kNotCode[64] = {0x0f, 0x0b, 0x0f, 0x0b};

#if defined(FAULT_ENTRY_HEAP)
// Freed when the host unloads the refused library, so LeakSanitizer sees no leak.
AgentPluginEntry* heapEntry = nullptr;
__attribute__((destructor)) void freeHeapEntry() {
  delete heapEntry;
}
#endif

[[maybe_unused]] AgentPluginEntry goodEntry(CreateFunction create) {
  return {AGENT_PLUGIN_ABI_VERSION,
          agent::cxxAbiTag(),
          agent::detail::layoutFingerprint(),
          agent::detail::interfaceShape(),
          create,
          &abortingDestroy};
}

struct HandMadeDescriptor {
  AgentPluginDescriptorHeader header;
  char manifest[16];
};

}  // namespace

#if defined(FAULT_ENTRY_WRONG_ABI) || defined(FAULT_ENTRY_WRONG_TAG) || \
    defined(FAULT_ENTRY_BAD_MAGIC) || defined(FAULT_ENTRY_CUT_MANIFEST)
extern "C" AGENT_PLUGIN_EXPORT AGENT_PLUGIN_IN_SECTION constinit const HandMadeDescriptor
    agent_plugin_descriptor{{
#if defined(FAULT_ENTRY_BAD_MAGIC)
                                {'N', 'O', 'T', 'A', 'P', 'L', 'U', 'G'},
#else
                                {'A', 'G', 'E', 'N', 'T', 'P', 'L', 'G'},
#endif
#if defined(FAULT_ENTRY_WRONG_ABI)
                                AGENT_PLUGIN_ABI_VERSION + 1,
#else
                                AGENT_PLUGIN_ABI_VERSION,
#endif
#if defined(FAULT_ENTRY_WRONG_TAG)
                                agent::cxxAbiTag() ^ 0x100u,
#else
                                agent::cxxAbiTag(),
#endif
                                agent::detail::layoutFingerprint(),
#if defined(FAULT_ENTRY_CUT_MANIFEST)
                                100000,
#else
                                16,
#endif
                                0},
                            "name\0badentry\0"};
#else
AGENT_PLUGIN_DESCRIPTOR(kManifest)
#endif

#if defined(FAULT_ENTRY_INT)
extern "C" AGENT_PLUGIN_EXPORT std::intptr_t agent_plugin_entry() {
  return 0x2a;
}
#elif defined(FAULT_ENTRY_DATA)
extern "C" AGENT_PLUGIN_EXPORT const unsigned char* const agent_plugin_entry = kNotCode;
#elif defined(FAULT_ENTRY_MISSING)
// No entry function: the descriptor alone.
#else
extern "C" AGENT_PLUGIN_EXPORT const AgentPluginEntry* agent_plugin_entry() {
#if defined(FAULT_ENTRY_NULL)
  return nullptr;
#elif defined(FAULT_ENTRY_HEAP)
  if (heapEntry == nullptr) heapEntry = new AgentPluginEntry(goodEntry(&abortingCreate));
  return heapEntry;
#elif defined(FAULT_ENTRY_MISALIGNED)
  return reinterpret_cast<const AgentPluginEntry*>(kNotCode + 1);
#elif defined(FAULT_ENTRY_GARBAGE)
  alignas(AgentPluginEntry) static const unsigned char kGarbage[sizeof(AgentPluginEntry)] = {
      0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
      0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41};
  return reinterpret_cast<const AgentPluginEntry*>(kGarbage);
#elif defined(FAULT_ENTRY_WILD_CREATE)
  static const AgentPluginEntry kEntry = goodEntry(reinterpret_cast<CreateFunction>(0x1234));
  return &kEntry;
#elif defined(FAULT_ENTRY_CREATE_IN_DATA)
  static const AgentPluginEntry kEntry = goodEntry(reinterpret_cast<CreateFunction>(&kNotCode));
  return &kEntry;
#elif defined(FAULT_ENTRY_THROWS)
  throw std::runtime_error("entry refuses");
#elif defined(FAULT_ENTRY_OTHER_SHAPE)
  static AgentPluginEntry kEntry = goodEntry(&abortingCreate);
  kEntry.interfaceShape ^= 1u;
  return &kEntry;
#else
  // WRONG_ABI, WRONG_TAG, BAD_MAGIC, CUT_MANIFEST: never called, the descriptor is refused first.
  static const AgentPluginEntry kEntry = goodEntry(&abortingCreate);
  return &kEntry;
#endif
}
#endif
