// Libraries that export agent_plugin_entry in the right section but are not what it promises.
// Each CMake target compiles this file with one FAULT_ENTRY_* definition. Where the host would
// call create() or destroy() by mistake, they abort, so such a mistake fails the test loudly.
//   FAULT_ENTRY_NULL             the entry returns nullptr
//   FAULT_ENTRY_INT              the alias names a function returning an int (0x2a), not a pointer
//   FAULT_ENTRY_DATA             the alias names a data object, not a function
//   FAULT_ENTRY_HEAP             a well-formed entry, but on the heap, outside the library
//   FAULT_ENTRY_MISALIGNED       a pointer into the library that is not aligned for the struct
//   FAULT_ENTRY_GARBAGE          a struct of 0x41 bytes inside the library
//   FAULT_ENTRY_WILD_MANIFEST    the right versions, a manifest pointer to address 0x10
//   FAULT_ENTRY_WILD_CREATE      the right versions and manifest, create = 0x1234
//   FAULT_ENTRY_CREATE_IN_DATA   the right versions and manifest, create points to data
//   FAULT_ENTRY_THROWS           the entry function throws
//   FAULT_ENTRY_WRONG_ABI        abiVersion is one more than the host's
//   FAULT_ENTRY_WRONG_TAG        another C++ ABI tag
#include <agent/Plugin.hpp>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>

namespace {

[[maybe_unused]] agent::ModelProvider* abortingCreate(const agent::HostServices*, char*,
                                                      std::size_t) noexcept {
  std::abort();
}

[[maybe_unused]] void abortingDestroy(agent::ModelProvider*) noexcept {
  std::abort();
}

// clang-format off
[[maybe_unused]] constexpr agent::PluginManifest kManifest{"badentry", "", "0", 0, nullptr, nullptr,
                                                           0, nullptr, 0};
// clang-format on

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

}  // namespace

namespace agent_plugin_export {

#if defined(FAULT_ENTRY_INT)
std::intptr_t entry() {
  return 0x2a;
}
#elif defined(FAULT_ENTRY_DATA)
const unsigned char* const entry = kNotCode;
#else
const AgentPluginEntry* entry() {
#if defined(FAULT_ENTRY_NULL)
  return nullptr;
#elif defined(FAULT_ENTRY_HEAP)
  if (heapEntry == nullptr) {
    heapEntry = new AgentPluginEntry{AGENT_PLUGIN_ABI_VERSION, ::agent::cxxAbiTag(), &kManifest,
                                     &abortingCreate, &abortingDestroy};
  }
  return heapEntry;
#elif defined(FAULT_ENTRY_MISALIGNED)
  return reinterpret_cast<const AgentPluginEntry*>(kNotCode + 1);
#elif defined(FAULT_ENTRY_GARBAGE)
  alignas(AgentPluginEntry) static const unsigned char kGarbage[sizeof(AgentPluginEntry)] = {
      0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
      0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41};
  return reinterpret_cast<const AgentPluginEntry*>(kGarbage);
#elif defined(FAULT_ENTRY_WILD_MANIFEST)
  static const AgentPluginEntry kEntry{AGENT_PLUGIN_ABI_VERSION, ::agent::cxxAbiTag(),
                                       reinterpret_cast<const agent::PluginManifest*>(0x10),
                                       &abortingCreate, &abortingDestroy};
  return &kEntry;
#elif defined(FAULT_ENTRY_WILD_CREATE)
  static const AgentPluginEntry kEntry{AGENT_PLUGIN_ABI_VERSION, ::agent::cxxAbiTag(), &kManifest,
                                       reinterpret_cast<CreateFunction>(0x1234), &abortingDestroy};
  return &kEntry;
#elif defined(FAULT_ENTRY_CREATE_IN_DATA)
  static const AgentPluginEntry kEntry{AGENT_PLUGIN_ABI_VERSION, ::agent::cxxAbiTag(), &kManifest,
                                       reinterpret_cast<CreateFunction>(&kNotCode),
                                       &abortingDestroy};
  return &kEntry;
#elif defined(FAULT_ENTRY_THROWS)
  throw std::runtime_error("entry refuses");
#elif defined(FAULT_ENTRY_WRONG_ABI)
  static const AgentPluginEntry kEntry{AGENT_PLUGIN_ABI_VERSION + 1, ::agent::cxxAbiTag(),
                                       &kManifest, &abortingCreate, &abortingDestroy};
  return &kEntry;
#elif defined(FAULT_ENTRY_WRONG_TAG)
  static const AgentPluginEntry kEntry{AGENT_PLUGIN_ABI_VERSION, ::agent::cxxAbiTag() ^ 0x100u,
                                       &kManifest, &abortingCreate, &abortingDestroy};
  return &kEntry;
#else
#error "define one FAULT_ENTRY_* mode"
#endif
}
#endif

}  // namespace agent_plugin_export

BOOST_DLL_ALIAS_SECTIONED(agent_plugin_export::entry, agent_plugin_entry, agentplg)
