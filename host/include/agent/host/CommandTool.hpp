// CommandTool: a tool that runs a shell command, for tools the application does not write in C++.
//
// The command runs under /bin/sh -c in its own process group, reads the call's arguments (JSON
// text) on stdin and answers on stdout. A non-zero exit is a tool error (the model reads the
// command's stderr); overrunning the ToolContext deadline or a cancel kills the whole group. The
// command gets the environment it is given, never the agent's: see environmentWithoutSecrets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/host/Export.hpp"
#include "agent/host/Tool.hpp"

namespace agent::host {

/// A ToolFunction running `command` with exactly `environment` ("NAME=value" entries).
AGENT_HOST_API ToolFunction commandTool(std::string command, std::vector<std::string> environment);

/// This process's environment less what could carry a secret: every variable named in
/// `secretNames` (the settings plugins declare secret), every BITROUTER_* variable, and every
/// name ending in _KEY, _TOKEN, _SECRET or _PASSWORD.
AGENT_HOST_API std::vector<std::string> environmentWithoutSecrets(
    const std::vector<std::string>& secretNames);

}  // namespace agent::host
