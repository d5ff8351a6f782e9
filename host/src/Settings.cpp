#include "agent/host/Settings.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <utility>

#include "agent/support/Text.hpp"

namespace agent::host {

Settings::Environment Settings::processEnvironment() {
  return [](std::string_view key) -> std::optional<std::string> {
    // Every useModel call looks up a score of settings; a stack copy of the name spares a heap
    // allocation per lookup for any name that fits.
    std::array<char, 128> buffer;
    const char* name = nullptr;
    std::string longName;
    if (key.size() < buffer.size()) {
      *std::copy(key.begin(), key.end(), buffer.begin()) = '\0';
      name = buffer.data();
    } else {
      longName.assign(key);
      name = longName.c_str();
    }
    if (const char* value = std::getenv(name)) return std::string(value);
    return std::nullopt;
  };
}

Settings::Settings(Character character, Environment environment)
    : character_(std::move(character)), environment_(std::move(environment)) {}

std::optional<std::string> Settings::get(std::string_view key) const {
  if (auto it = character_.secrets.find(key); it != character_.secrets.end()) return it->second;
  if (auto it = character_.settings.find(key); it != character_.settings.end()) return it->second;
  if (environment_) return environment_(key);
  return std::nullopt;
}

bool Settings::isSet(std::string_view key) const {
  const auto value = get(key);
  return value.has_value() && !text::isBlank(*value);
}

Expected<bool, SettingError> Settings::getSwitch(std::string_view key, bool fallback) const {
  const auto value = get(key);
  if (!value || text::isBlank(*value)) return fallback;
  if (const auto parsed = text::parseSwitch(*value)) return *parsed;
  return SettingError{std::string(key) + " is '" + text::oneLine(text::trim(*value)) +
                      "': use one of " + std::string(text::kSwitchWords)};
}

}  // namespace agent::host
