#include "SignalExit.hpp"

#include <signal.h>

#include <atomic>

#include "agent/host/ChildProcesses.hpp"

namespace agent::host::cli {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

// The terminal to put back: the descriptor is published after the modes are written, and
// withdrawn before they change, so the handler never reads modes half written.
std::atomic<int> terminalFd{-1};
termios terminalModes{};

// Async-signal-safe throughout: kill, tcsetattr, sigaction and raise.
void onSignal(int signal) {
  killAllChildProcessGroups();
  if (const int fd = terminalFd.load(); fd >= 0) ::tcsetattr(fd, TCSANOW, &terminalModes);
  struct sigaction standard {};
  standard.sa_handler = SIG_DFL;
  sigemptyset(&standard.sa_mask);
  ::sigaction(signal, &standard, nullptr);
  // Blocked while this handler runs: delivered, with its default action, as it returns.
  ::raise(signal);
}

}  // namespace

void endChildProcessesOnSignals() {
  struct sigaction action {};
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  for (const int signal : kSignals)
    sigaddset(&action.sa_mask, signal);  // one handler at a time
  for (const int signal : kSignals) {
    struct sigaction previous {};
    ::sigaction(signal, nullptr, &previous);
    // A signal the caller chose to ignore (nohup) stays ignored.
    if (previous.sa_handler == SIG_IGN) continue;
    ::sigaction(signal, &action, nullptr);
  }
}

void restoreTerminalOnSignals(int fd, const termios& modes) {
  terminalFd.store(-1);
  terminalModes = modes;
  terminalFd.store(fd);
}

void forgetTerminalOnSignals() {
  terminalFd.store(-1);
}

}  // namespace agent::host::cli
