// SigpipeBlock: no SIGPIPE from the writes this thread makes while it lives.
//
// A write to a pipe or socket whose reader has gone raises SIGPIPE, whose default action ends the
// process: a host, or an application embedding it, that keeps the default would die because a
// server hung up or a tool exited without reading its input. Sockets can be written with
// MSG_NOSIGNAL, but pipes and OpenSSL's write(2) cannot, so such writes run inside this guard:
// SIGPIPE is blocked for the thread, a SIGPIPE the writes raised meanwhile is taken off the
// pending set (sigtimedwait with a zero timeout), and the thread's mask is restored. A SIGPIPE
// that was already pending before is left alone. The write itself fails with EPIPE, which the
// caller reports as an error value. Shared by the host (command tools) and the plugins (TLS,
// stdio MCP servers), so it lives here, header-only.
#pragma once

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <ctime>

namespace agent {

class SigpipeBlock {
 public:
  SigpipeBlock() noexcept {
    const sigset_t pipe = pipeOnly();
    blocked_ = ::pthread_sigmask(SIG_BLOCK, &pipe, &previous_) == 0;
    pendingBefore_ = blocked_ && pending();
  }

  ~SigpipeBlock() {
    if (!blocked_) return;
    const int savedErrno = errno;  // the write's error, for the caller
    if (!pendingBefore_ && pending()) {
      const sigset_t pipe = pipeOnly();
      const timespec zero{0, 0};
      while (::sigtimedwait(&pipe, nullptr, &zero) < 0 && errno == EINTR) {
      }
    }
    ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    errno = savedErrno;
  }

  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  static sigset_t pipeOnly() noexcept {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    return set;
  }

  static bool pending() noexcept {
    sigset_t set;
    sigemptyset(&set);
    return ::sigpending(&set) == 0 && sigismember(&set, SIGPIPE) == 1;
  }

  sigset_t previous_;
  bool pendingBefore_ = false;
  bool blocked_ = false;
};

}  // namespace agent
