#include "SignalExit.hpp"

#include <signal.h>

#include "agent/host/ChildProcesses.hpp"

namespace agent::host::cli {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

// Async-signal-safe throughout: kill, sigaction and raise.
void onSignal(int signal) {
  killAllChildProcessGroups();
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

}  // namespace agent::host::cli
