// SettingLookup: how the plugin reads a setting, without depending on the host.
//
// The provider binds it to HostServices::setting() (character first, then environment); tests
// and integration tests bind it to a map.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace agent::bitrouter {

using SettingLookup = std::function<std::optional<std::string>(std::string_view key)>;

/// A lookup over a fixed map (tests, integration tests, tools).
inline SettingLookup lookupFromMap(std::map<std::string, std::string, std::less<>> values) {
  return [values = std::move(values)](std::string_view key) -> std::optional<std::string> {
    const auto found = values.find(key);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

}  // namespace agent::bitrouter
