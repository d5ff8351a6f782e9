// ConfigError: a bad BITROUTER_* setting, found at init.
//
// Thrown only while the configuration is read (the provider's constructor), where AGENT_PLUGIN
// turns it into an init failure. The message is one line, names the setting and never contains
// the API key.
#pragma once

#include <stdexcept>
#include <string>

namespace agent::bitrouter {

class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace agent::bitrouter
