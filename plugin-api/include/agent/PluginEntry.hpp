// PluginEntry: the two things a plugin exports, and what the host checks in them.
//
// 1. The descriptor: data in ELF section "agentplg" (symbol agent_plugin_descriptor). The host
//    reads it from the file, without loading the library: magic, ABI version, C++ ABI tag, layout
//    fingerprint (checked in that order), then the encoded manifest. It holds no pointers, so the
//    bytes in the file are the bytes the host reads.
// 2. The entry: a plain extern "C" function, agent_plugin_entry, which the host calls once the
//    plugin is enabled and loaded. It repeats the versions and adds the interfaces' shape and the
//    plugin's create/destroy (the LLVM pass-plugin pattern: a versioned C struct, with creation
//    and destruction inside the plugin).
//
// A plugin author fills neither by hand; see AGENT_PLUGIN in agent/Plugin.hpp. No Boost needed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "agent/ChildProcess.hpp"
#include "agent/CxxAbiTag.hpp"
#include "agent/EventObserver.hpp"
#include "agent/HostServices.hpp"
#include "agent/LayoutFingerprint.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/PluginManifest.hpp"
#include "agent/ToolProvider.hpp"
#include "agent/detail/ManifestEncoding.hpp"

/// Bump on any change to the descriptor, the entry, or what they mean. The layout fingerprint
/// catches changed data types even when this number is forgotten.
#define AGENT_PLUGIN_ABI_VERSION 3u

/// The exported names and the ELF section the descriptor lives in.
#define AGENT_PLUGIN_ENTRY_NAME "agent_plugin_entry"
#define AGENT_PLUGIN_DESCRIPTOR_NAME "agent_plugin_descriptor"
#define AGENT_PLUGIN_SECTION_NAME "agentplg"
#define AGENT_PLUGIN_MAGIC "AGENTPLG"

extern "C" {

/// The descriptor's fixed header, first in section "agentplg". The encoded manifest
/// (manifestSize bytes, see agent/detail/ManifestEncoding.hpp) follows it.
struct AgentPluginDescriptorHeader {
  char magic[8];                    // AGENT_PLUGIN_MAGIC, without its NUL
  std::uint32_t abiVersion;         // AGENT_PLUGIN_ABI_VERSION
  std::uint32_t cxxAbiTag;          // agent::cxxAbiTag()
  std::uint64_t layoutFingerprint;  // agent::detail::layoutFingerprint()
  std::uint32_t manifestSize;
  std::uint32_t reserved;  // 0
};

/// What a plugin's create() hands the host: the plugin object, as the opaque handle destroy()
/// takes, and each interface it implements (nullptr for those it does not).
struct AgentPluginInstance {
  void* handle;
  agent::ModelProvider* models;
  agent::ToolProvider* tools;
  agent::EventObserver* observer;
};

/// What agent_plugin_entry returns. Field order is fixed by AGENT_PLUGIN_ABI_VERSION.
struct AgentPluginEntry {
  std::uint32_t abiVersion;  // as in the descriptor
  std::uint32_t cxxAbiTag;   // as in the descriptor
  std::uint64_t layoutFingerprint;
  std::uint64_t interfaceShape;  // agent::detail::interfaceShape()
  /// The plugin's init: checks settings, builds the plugin object. Returns false on failure and
  /// writes a one-line reason into `error` (NUL-terminated, at most errorSize bytes). `host`
  /// outlives the object.
  bool (*create)(const agent::HostServices* host, AgentPluginInstance* instance, char* error,
                 std::size_t errorSize) noexcept;
  void (*destroy)(void* handle) noexcept;
};

/// The signature of agent_plugin_entry.
typedef const AgentPluginEntry* AgentPluginEntryFunction();
}

namespace agent::detail {

/// The descriptor object AGENT_PLUGIN places in the section: the header, then N manifest bytes.
template <std::size_t N>
struct PluginDescriptor {
  AgentPluginDescriptorHeader header;
  std::array<char, N> manifest;
};

template <std::size_t N>
constexpr PluginDescriptor<N> makeDescriptor(const PluginManifest& manifest) {
  PluginDescriptor<N> descriptor{};
  for (std::size_t i = 0; i < 8; ++i)
    descriptor.header.magic[i] = AGENT_PLUGIN_MAGIC[i];
  descriptor.header.abiVersion = AGENT_PLUGIN_ABI_VERSION;
  descriptor.header.cxxAbiTag = cxxAbiTag();
  descriptor.header.layoutFingerprint = layoutFingerprint();
  descriptor.header.manifestSize = static_cast<std::uint32_t>(N);
  descriptor.manifest = encodedManifest<N>(manifest);
  return descriptor;
}

/// The shape of the interfaces' virtual tables: where each virtual function the host calls sits.
/// A member-function pointer to a virtual function holds its vtable slot, so a copy of the
/// headers with a virtual function inserted or reordered yields another value. Not a constant
/// expression (member pointers cannot be inspected at compile time), so the entry carries it.
template <class Member>
std::uint64_t memberPointerWords(LayoutHash& hash, Member member) {
  std::uint64_t words[2] = {0, 0};
  static_assert(sizeof(Member) <= sizeof(words));
  std::memcpy(words, &member, sizeof(Member));
  hash.add(words[0]).add(words[1]);
  return words[0];
}

inline std::uint64_t interfaceShape() {
  LayoutHash hash;
  memberPointerWords(hash, &ModelProvider::supportedModelTypes);
  memberPointerWords(hash, &ModelProvider::modelMetadata);
  memberPointerWords(hash, &ModelProvider::generateText);
  memberPointerWords(hash, &ToolProvider::listTools);
  memberPointerWords(hash, &ToolProvider::toolSources);
  memberPointerWords(hash, &ToolProvider::callTool);
  memberPointerWords(hash, &EventObserver::onModelRegistered);
  memberPointerWords(hash, &EventObserver::onModelUsed);
  memberPointerWords(hash, &EventObserver::onModelFailed);
  memberPointerWords(hash, &EventObserver::onToolStarted);
  memberPointerWords(hash, &EventObserver::onToolEnded);
  memberPointerWords(hash, &HostServices::setting);
  memberPointerWords(hash, &HostServices::log);
  memberPointerWords(hash, &HostServices::emitModelUsed);
  memberPointerWords(hash, &HostServices::startProcess);
  memberPointerWords(hash, &ChildProcess::pid);
  memberPointerWords(hash, &ChildProcess::stdinFd);
  memberPointerWords(hash, &ChildProcess::stdoutFd);
  memberPointerWords(hash, &ChildProcess::closeStdin);
  memberPointerWords(hash, &ChildProcess::stderrTail);
  memberPointerWords(hash, &ChildProcess::exitStatus);
  memberPointerWords(hash, &ChildProcess::stop);
  return hash.value();
}

}  // namespace agent::detail
