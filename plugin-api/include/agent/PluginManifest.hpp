// PluginManifest: what a plugin says about itself, written by its author as a constexpr object.
//
// AGENT_PLUGIN encodes it at compile time into the plugin file (ELF section "agentplg"), where the
// host reads it without loading the library: a disabled plugin is never loaded, so none of its
// code (static constructors included) runs. Lists are std::span, so their lengths are deduced
// from the arrays and cannot be written wrongly.
#pragma once

#include <span>
#include <string_view>

#include "agent/ModelType.hpp"

namespace agent {

/// A setting a plugin reads; listed by `agent-host providers --json` and in docs.
struct SettingSpec {
  std::string_view key{};
  const char* defaultValue = nullptr;  // nullptr when there is none
  std::string_view description{};
  bool secret = false;  // its value is never printed
};

/// Static facts about a plugin. Every member has a default, so designated initializers may leave
/// out what does not apply.
struct PluginManifest {
  std::string_view name{};  // the provider name models are registered under, e.g. "bitrouter"
  std::string_view description{};
  std::string_view version{};
  double defaultPriority = 0;          // higher wins; any finite number, e.g. -1.5
  std::string_view prioritySetting{};  // the setting that overrides defaultPriority; empty: none
  /// The plugin is enabled iff one of these settings is non-blank. None: always enabled.
  std::span<const std::string_view> autoEnableKeys{};
  std::span<const SettingSpec> settings{};
  /// The model types the provider serves (what supportedModelTypes() returns), so the host
  /// knows them without loading the plugin. Empty: not declared.
  std::span<const ModelType> modelTypes{};
};

}  // namespace agent
