// SigpipeBlock: no SIGPIPE from the writes made while it lives, on this thread.
//
// A write to a connection the peer has closed raises SIGPIPE, whose default action ends the
// process: a host, or an application embedding it, that keeps the default would die because
// BitRouter hung up. Plain sockets are written with MSG_NOSIGNAL; OpenSSL writes with write(2),
// which has no such flag, so TLS work runs inside this guard: SIGPIPE is blocked for the thread,
// a SIGPIPE the writes raised meanwhile is taken off the pending set (sigtimedwait with a zero
// timeout), and the thread's mask is restored. A SIGPIPE that was already pending before is left
// alone. The write itself fails with EPIPE, which the caller reports as an error value.
#pragma once

#include <signal.h>

namespace agent::bitrouter {

class SigpipeBlock {
 public:
  SigpipeBlock() noexcept;
  ~SigpipeBlock();

  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t previous_;
  bool pendingBefore_ = false;
  bool blocked_ = false;
};

}  // namespace agent::bitrouter
