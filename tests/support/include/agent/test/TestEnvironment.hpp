// TestEnvironment: settings and params as tests build them: an environment read from a map
// instead of the process environment, and params that carry just a prompt.
#pragma once

#include <map>
#include <string>

#include "agent/GenerateTextParams.hpp"
#include "agent/host/Settings.hpp"

namespace agent::test {

using EnvMap = std::map<std::string, std::string>;

/// An Environment that reads from `values` instead of the process environment.
host::Settings::Environment mapEnvironment(EnvMap values);

/// Params with just a prompt (designated initializers would trip -Wmissing-field-initializers).
GenerateTextParams withPrompt(std::string prompt, bool stream = false);

}  // namespace agent::test
