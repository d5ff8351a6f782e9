// ManifestEncoding: turns a constexpr PluginManifest into the bytes AGENT_PLUGIN places in the
// plugin file, at compile time.
//
// The encoding is a sequence of records "tag\0value\0" (no pointers, so the bytes in the file are
// the bytes the host reads, without relocation). Tags the host does not know are ignored, so a
// later host can add fields. A setting's details follow its "setting" record.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/PluginManifest.hpp"

namespace agent::detail {

namespace manifest_tags {
inline constexpr std::string_view kName = "name";
inline constexpr std::string_view kVersion = "version";
inline constexpr std::string_view kDescription = "description";
inline constexpr std::string_view kPriority = "priority";  // 16 hex digits: the double's bits
inline constexpr std::string_view kPrioritySetting = "prioritySetting";
inline constexpr std::string_view kAutoEnable = "autoEnable";
inline constexpr std::string_view kSetting = "setting";
inline constexpr std::string_view kSettingDefault = "settingDefault";
inline constexpr std::string_view kSettingDescription = "settingDescription";
inline constexpr std::string_view kSettingSecret = "settingSecret";
inline constexpr std::string_view kModelType = "modelType";  // its elizaOS name
}  // namespace manifest_tags

constexpr std::size_t cStringLength(const char* text) {
  std::size_t length = 0;
  while (text[length] != '\0')
    ++length;
  return length;
}

/// The double's bits as 16 lower-case hex digits (constexpr; no locale, no rounding).
struct PriorityBits {
  std::array<char, 16> digits{};
  constexpr explicit PriorityBits(double value) {
    const auto bits = std::bit_cast<std::uint64_t>(value);
    for (int i = 0; i < 16; ++i) {
      const auto nibble = static_cast<unsigned>((bits >> (60 - 4 * i)) & 0xfu);
      digits[static_cast<std::size_t>(i)] =
          static_cast<char>(nibble < 10 ? '0' + nibble : 'a' + (nibble - 10));
    }
  }
  constexpr std::string_view view() const { return {digits.data(), digits.size()}; }
};

template <class Sink>
constexpr void encodeManifest(const PluginManifest& manifest, Sink& sink) {
  namespace tag = manifest_tags;
  sink.record(tag::kName, manifest.name);
  sink.record(tag::kVersion, manifest.version);
  sink.record(tag::kDescription, manifest.description);
  const PriorityBits priority(manifest.defaultPriority);
  sink.record(tag::kPriority, priority.view());
  if (!manifest.prioritySetting.empty()) {
    sink.record(tag::kPrioritySetting, manifest.prioritySetting);
  }
  for (std::string_view key : manifest.autoEnableKeys)
    sink.record(tag::kAutoEnable, key);
  for (const SettingSpec& setting : manifest.settings) {
    sink.record(tag::kSetting, setting.key);
    if (setting.defaultValue != nullptr) {
      sink.record(tag::kSettingDefault,
                  std::string_view(setting.defaultValue, cStringLength(setting.defaultValue)));
    }
    sink.record(tag::kSettingDescription, setting.description);
    if (setting.secret) sink.record(tag::kSettingSecret, "1");
  }
  for (ModelType type : manifest.modelTypes)
    sink.record(tag::kModelType, toString(type));
}

struct EncodedSize {
  std::size_t size = 0;
  constexpr void record(std::string_view tag, std::string_view value) {
    size += tag.size() + 1 + value.size() + 1;
  }
};

template <std::size_t N>
struct EncodedBytes {
  std::array<char, N> bytes{};
  std::size_t used = 0;
  constexpr void record(std::string_view tag, std::string_view value) {
    append(tag);
    append(value);
  }
  constexpr void append(std::string_view text) {
    for (char c : text)
      bytes[used++] = c;
    bytes[used++] = '\0';
  }
};

constexpr std::size_t encodedManifestSize(const PluginManifest& manifest) {
  EncodedSize size;
  encodeManifest(manifest, size);
  return size.size;
}

template <std::size_t N>
constexpr std::array<char, N> encodedManifest(const PluginManifest& manifest) {
  EncodedBytes<N> out;
  encodeManifest(manifest, out);
  return out.bytes;
}

/// True when no text of the manifest holds a NUL, which would cut a record short.
constexpr bool manifestTextIsClean(const PluginManifest& manifest) {
  const auto clean = [](std::string_view text) { return text.find('\0') == text.npos; };
  bool ok = clean(manifest.name) && clean(manifest.version) && clean(manifest.description) &&
            clean(manifest.prioritySetting);
  for (std::string_view key : manifest.autoEnableKeys)
    ok = ok && clean(key) && !key.empty();
  for (const SettingSpec& setting : manifest.settings)
    ok = ok && clean(setting.key) && !setting.key.empty() && clean(setting.description);
  return ok;
}

}  // namespace agent::detail
