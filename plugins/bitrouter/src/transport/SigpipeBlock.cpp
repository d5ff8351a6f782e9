#include "transport/SigpipeBlock.hpp"

#include <pthread.h>

#include <cerrno>
#include <ctime>

namespace agent::bitrouter {
namespace {

sigset_t pipeOnly() noexcept {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  return set;
}

bool sigpipePending() noexcept {
  sigset_t pending;
  sigemptyset(&pending);
  return sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

}  // namespace

SigpipeBlock::SigpipeBlock() noexcept {
  const sigset_t pipe = pipeOnly();
  blocked_ = pthread_sigmask(SIG_BLOCK, &pipe, &previous_) == 0;
  pendingBefore_ = blocked_ && sigpipePending();
}

SigpipeBlock::~SigpipeBlock() {
  if (!blocked_) return;
  const int savedErrno = errno;  // the write's error, for the caller
  if (!pendingBefore_ && sigpipePending()) {
    const sigset_t pipe = pipeOnly();
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  errno = savedErrno;
}

}  // namespace agent::bitrouter
