// CommandTool: a tool that runs a shell command, for tools the application does not write in C++.
//
// The command runs under /bin/sh -c as a child process of the host (agent/host/ChildProcesses.hpp):
// fds 0-2 only, the base environment plus what the options add (never the agent's secrets), a
// process group of its own. It reads the call's arguments (JSON text) on stdin and answers on
// stdout (at most 1 MiB); a non-zero exit is a tool error that quotes the end of its stderr (of
// which the host keeps only the end). Overrunning the ToolContext deadline or a cancel kills the
// whole group, and so does the command's own end: nothing it started in the background outlives it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "agent/host/ChildProcesses.hpp"
#include "agent/host/Export.hpp"
#include "agent/host/Tool.hpp"

namespace agent::host {

struct CommandToolOptions {
  /// Added to the base environment (PATH, HOME, USER, LOGNAME, SHELL, LANG, LC_*, TZ, TERM,
  /// TMPDIR): what the user passes on purpose.
  std::vector<std::pair<std::string, std::string>> environment;
  /// Starts the command; empty: startChildProcess. AgentHost::childStarter() ties every run to
  /// the host, which ends the runs still going when it is destroyed.
  ChildStarter start;
};

/// A ToolFunction running `command` under /bin/sh -c.
AGENT_HOST_API ToolFunction commandTool(std::string command, CommandToolOptions options = {});

}  // namespace agent::host
