// Settings: the one place a setting is looked up, with elizaOS's precedence:
// character secrets, then character settings, then the process environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agent/host/Character.hpp"
#include "agent/host/Export.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host {

/// A setting whose value cannot be used: one line naming the setting, the value and what it takes.
struct SettingError {
  std::string message;
};

class AGENT_HOST_API Settings {
 public:
  /// Looks a name up in an environment. Tests pass a map; the default reads the process
  /// environment.
  using Environment = std::function<std::optional<std::string>(std::string_view key)>;

  static Environment processEnvironment();

  explicit Settings(Character character = {}, Environment environment = processEnvironment());

  /// The value for `key`, or nullopt. An empty string is a found value (as in elizaOS).
  std::optional<std::string> get(std::string_view key) const;

  /// True when the value exists and is not blank (elizaOS autoEnable's test).
  bool isSet(std::string_view key) const;

  /// An on/off setting: true/1/yes/on or false/0/no/off (any case, trimmed); `fallback` when it is
  /// unset or blank. Any other value is an error, never a silent false.
  Expected<bool, SettingError> getSwitch(std::string_view key, bool fallback) const;

  const Character& character() const noexcept { return character_; }

 private:
  Character character_;
  Environment environment_;
};

}  // namespace agent::host
