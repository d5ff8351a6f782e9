#include "PluginDescriptor.hpp"

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

#include "ElfSection.hpp"
#include "PluginFile.hpp"
#include "agent/PluginEntry.hpp"

namespace agent::host {
namespace {

// A descriptor is a few KiB; anything far larger is not one.
constexpr std::size_t kMaxDescriptorSize = 1u << 20;

std::string hex(std::uint64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

std::optional<double> parsePriorityBits(std::string_view digits) {
  if (digits.size() != 16) return std::nullopt;
  std::uint64_t bits = 0;
  for (char c : digits) {
    int nibble = -1;
    if (c >= '0' && c <= '9') nibble = c - '0';
    if (c >= 'a' && c <= 'f') nibble = c - 'a' + 10;
    if (nibble < 0) return std::nullopt;
    bits = (bits << 4) | static_cast<std::uint64_t>(nibble);
  }
  const double value = std::bit_cast<double>(bits);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

// Decodes the "tag\0value\0" records into `out`.
Expected<Done, std::string> decodeManifest(std::string_view bytes, PluginDescriptor& out) {
  namespace tag = detail::manifest_tags;
  if (!bytes.empty() && bytes.back() != '\0') return std::string("the manifest is cut short");
  while (!bytes.empty()) {
    const std::size_t tagEnd = bytes.find('\0');
    const std::size_t valueEnd = bytes.find('\0', tagEnd + 1);
    if (valueEnd == std::string_view::npos) return std::string("the manifest is cut short");
    const std::string_view name = bytes.substr(0, tagEnd);
    const std::string value(bytes.substr(tagEnd + 1, valueEnd - tagEnd - 1));
    bytes.remove_prefix(valueEnd + 1);

    if (name == tag::kName) {
      out.name = value;
    } else if (name == tag::kVersion) {
      out.version = value;
    } else if (name == tag::kDescription) {
      out.description = value;
    } else if (name == tag::kPriority) {
      const auto priority = parsePriorityBits(value);
      if (!priority) return std::string("the manifest's default priority is not a finite number");
      out.defaultPriority = *priority;
    } else if (name == tag::kPrioritySetting) {
      out.prioritySetting = value;
    } else if (name == tag::kAutoEnable) {
      out.autoEnableKeys.push_back(value);
    } else if (name == tag::kSetting) {
      out.settings.push_back(PluginSetting{value, std::nullopt, "", false});
    } else if (name == tag::kSettingDefault || name == tag::kSettingDescription ||
               name == tag::kSettingSecret) {
      if (out.settings.empty()) {
        return std::string("the manifest describes a setting before naming it");
      }
      PluginSetting& setting = out.settings.back();
      if (name == tag::kSettingDefault) setting.defaultValue = value;
      if (name == tag::kSettingDescription) setting.description = value;
      if (name == tag::kSettingSecret) setting.secret = value == "1";
    } else if (name == tag::kModelType) {
      if (const auto type = parseModelType(value)) out.modelTypes.push_back(*type);
    }
    // Other tags come from a newer plugin-api: ignored.
  }
  if (out.name.empty()) return std::string("the plugin has no manifest name");
  return Done{};
}

}  // namespace

Expected<PluginDescriptor, std::string> parsePluginDescriptor(std::string_view bytes) {
  AgentPluginDescriptorHeader header{};
  if (bytes.size() < sizeof header) {
    return std::string("the " AGENT_PLUGIN_SECTION_NAME " section is too short for a descriptor");
  }
  std::memcpy(&header, bytes.data(), sizeof header);
  if (std::memcmp(header.magic, AGENT_PLUGIN_MAGIC, sizeof header.magic) != 0) {
    return std::string("the " AGENT_PLUGIN_SECTION_NAME
                       " section holds no agent-host plugin descriptor");
  }
  // The version first: nothing else in the descriptor means anything under another version.
  if (header.abiVersion != AGENT_PLUGIN_ABI_VERSION) {
    return "plugin ABI version " + std::to_string(header.abiVersion) + ", host expects " +
           std::to_string(AGENT_PLUGIN_ABI_VERSION) +
           " (rebuild the plugin against this host's plugin-api)";
  }
  if (header.cxxAbiTag != cxxAbiTag()) {
    return "C++ ABI tag " + describeCxxAbiTag(header.cxxAbiTag) + ", host has " +
           describeCxxAbiTag(cxxAbiTag()) +
           " (rebuild the plugin against the host's standard library, without flags such as "
           "-D_GLIBCXX_DEBUG that change it)";
  }
  if (header.layoutFingerprint != detail::layoutFingerprint()) {
    return "built against other plugin-api headers (layout fingerprint " +
           hex(header.layoutFingerprint) + ", host has " + hex(detail::layoutFingerprint()) +
           "): rebuild the plugin against this host's plugin-api";
  }
  const std::string_view manifest = bytes.substr(sizeof header);
  if (header.manifestSize > manifest.size()) {
    return std::string("the descriptor's manifest is cut short");
  }

  PluginDescriptor descriptor;
  descriptor.abiVersion = header.abiVersion;
  descriptor.cxxAbiTag = header.cxxAbiTag;
  descriptor.layoutFingerprint = header.layoutFingerprint;
  if (auto decoded = decodeManifest(manifest.substr(0, header.manifestSize), descriptor);
      !decoded) {
    return std::move(decoded).error();
  }
  return descriptor;
}

Expected<PluginDescriptor, std::string> readPluginDescriptor(int fd) {
  auto section = readElfSection(fd, AGENT_PLUGIN_SECTION_NAME, kMaxDescriptorSize);
  if (!section) {
    if (section.error().kind == ElfProblem::Kind::NoSuchSection) {
      return std::string("not an agent-host plugin: no " AGENT_PLUGIN_SECTION_NAME
                         " section (did you forget AGENT_PLUGIN(...)?)");
    }
    return std::move(section).error().message;
  }
  return parsePluginDescriptor(section.value());
}

Expected<PluginDescriptor, std::string> readPluginDescriptor(const std::filesystem::path& file) {
  auto opened = openPluginFile(file);
  if (!opened) return std::move(opened).error();
  return readPluginDescriptor(opened.value().fd());
}

}  // namespace agent::host
