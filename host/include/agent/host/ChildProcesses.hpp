// ChildProcesses: how the host starts programs (command tools, and the stdio servers plugins ask
// it for), and how it ends all of them.
//
// Every child is started the same way (see agent/ChildProcess.hpp): fds 0-2 only, the base
// environment plus what the caller adds, a process group of its own. Every group is recorded
// until its leader is reaped, so the host can end them all: an AgentHost ends the children it
// started when it is destroyed, and the CLI ends every group on SIGINT, SIGTERM and SIGHUP
// (killAllChildProcessGroups). A SIGKILLed host can do nothing: its children are left running.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "agent/ChildProcess.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host {

/// A started child, or one line saying why it could not start.
using StartedChild = Expected<std::unique_ptr<ChildProcess>, std::string>;

/// Something that starts children: startChildProcess, or AgentHost::childStarter().
using ChildStarter = std::function<StartedChild(const ProcessSpec&)>;

/// Starts a child owned by no AgentHost: its holder ends it (the ChildProcess's destructor), and
/// the CLI's signal handlers do when the program is interrupted.
StartedChild startChildProcess(const ProcessSpec& spec);

/// SIGKILL to the process group of every child started and not yet reaped, in this process.
/// Async-signal-safe: for a signal handler that is about to end the program.
void killAllChildProcessGroups() noexcept;

}  // namespace agent::host
