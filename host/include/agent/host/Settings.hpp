// Settings: the one place a setting is looked up, with elizaOS's precedence:
// character secrets, then character settings, then the process environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agent/host/Character.hpp"

namespace agent::host {

class Settings {
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

  const Character& character() const noexcept { return character_; }

 private:
  Character character_;
  Environment environment_;
};

}  // namespace agent::host
