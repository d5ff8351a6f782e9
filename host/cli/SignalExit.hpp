// SignalExit: what agent-host does on SIGINT, SIGTERM and SIGHUP: it ends the process group of
// every child process it started (tool commands, stdio servers), then dies of the signal as it
// would have without a handler, so its parent sees the usual status.
//
// The tools run in process groups of their own, so a Ctrl-C at the terminal, a `kill`, or a closed
// terminal reaches only agent-host; without this they would be left running. `chat` takes Ctrl-C
// over while it reads the terminal (to cancel a reply and its tools instead); SIGKILL cannot be
// caught, and leaves the children running.
#pragma once

#include <termios.h>

namespace agent::host::cli {

/// Installs the handlers, for the rest of the program.
void endChildProcessesOnSignals();

/// A terminal's modes for the handlers to put back before the process dies of a signal: chat
/// turns the terminal's echo off while a reply prints, and a `kill` then must not leave the
/// person's shell without echo. One terminal at a time; forgetTerminalOnSignals() drops it.
void restoreTerminalOnSignals(int fd, const termios& modes);
void forgetTerminalOnSignals();

}  // namespace agent::host::cli
