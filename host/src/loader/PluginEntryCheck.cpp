#include "PluginEntryCheck.hpp"

#include <cstdio>
#include <exception>

#include "LibraryImage.hpp"

namespace agent::host {
namespace {

std::string address(const void* pointer) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%p", pointer);
  return buffer;
}

}  // namespace

Expected<const AgentPluginEntry*, std::string> checkedEntry(
    const boost::dll::shared_library& library, const PluginDescriptor& descriptor,
    const PluginIdentity& plugin) {
  const LibraryImage image(library.native());
  if (!image.known()) return std::string("cannot locate the loaded library's segments");
  if (!library.has(AGENT_PLUGIN_ENTRY_NAME)) {
    return std::string("no " AGENT_PLUGIN_ENTRY_NAME
                       " function (did you forget AGENT_PLUGIN(...)?)");
  }
  const AgentPluginEntry* entry = nullptr;
  try {
    auto* entryFunction = &library.get<AgentPluginEntryFunction>(AGENT_PLUGIN_ENTRY_NAME);
    if (!image.holdsCode(entryFunction)) {
      return "the " AGENT_PLUGIN_ENTRY_NAME " symbol at " +
             address(reinterpret_cast<const void*>(entryFunction)) +
             " is not a function of this library (not built with AGENT_PLUGIN?)";
    }
    const PluginCallScope scope(&plugin, AGENT_PLUGIN_ENTRY_NAME);
    entry = entryFunction();
  } catch (const std::exception& e) {
    return std::string("the entry function threw: ") + e.what();
  } catch (...) {
    return std::string("the entry function threw");
  }
  if (entry == nullptr) return std::string("the entry function returned null");
  if (!image.holdsObject(entry)) {
    return "the entry function returned " + address(entry) +
           ", which is not an AgentPluginEntry inside the library (wrong entry signature?)";
  }
  if (entry->abiVersion != descriptor.abiVersion || entry->cxxAbiTag != descriptor.cxxAbiTag ||
      entry->layoutFingerprint != descriptor.layoutFingerprint) {
    return "the entry (ABI version " + std::to_string(entry->abiVersion) +
           ") disagrees with the file's descriptor (ABI version " +
           std::to_string(descriptor.abiVersion) + "): rebuild the plugin with AGENT_PLUGIN";
  }
  if (entry->interfaceShape != detail::interfaceShape()) {
    return std::string(
        "built against other plugin-api headers (the interfaces' virtual functions differ): "
        "rebuild the plugin against this host's plugin-api");
  }
  if (entry->create == nullptr || entry->destroy == nullptr) {
    return std::string("the entry lacks create or destroy");
  }
  if (!image.holdsCode(entry->create) || !image.holdsCode(entry->destroy)) {
    return std::string("the entry's create or destroy is not a function of this library");
  }
  return entry;
}

}  // namespace agent::host
