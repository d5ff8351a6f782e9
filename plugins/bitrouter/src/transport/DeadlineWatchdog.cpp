#include "transport/DeadlineWatchdog.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include <Poco/Net/SocketImpl.h>

namespace agent::bitrouter {

bool SocketDuplicate::attach(const Poco::Net::Socket& socket) noexcept {
  reset();
  const Poco::Net::SocketImpl* impl = socket.impl();
  const int original = impl == nullptr ? -1 : static_cast<int>(impl->sockfd());
  if (original < 0) return false;
  descriptor_ = ::fcntl(original, F_DUPFD_CLOEXEC, 0);
  return descriptor_ >= 0;
}

void SocketDuplicate::reset() noexcept {
  if (descriptor_ >= 0) ::close(descriptor_);
  descriptor_ = -1;
}

void DeadlineWatchdog::Watch::disarm() noexcept {
  if (owner_ == nullptr) return;
  {
    MutexLock lock(owner_->mutex_);
    owner_->remove(*this);  // a no-op when it already fired
  }
  descriptor_ = -1;
  owner_ = nullptr;
}

DeadlineWatchdog::~DeadlineWatchdog() {
  std::thread thread;
  {
    MutexLock lock(mutex_);
    stop_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

bool DeadlineWatchdog::arm(Watch& watch, const SocketDuplicate& socket,
                           Clock::time_point when) noexcept {
  if (socket.descriptor() < 0) return false;
  bool notify = false;
  try {
    MutexLock lock(mutex_);
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    watch.when_ = when;
    watch.descriptor_ = socket.descriptor();
    watch.cause_.store(Cause::None, std::memory_order_relaxed);
    armed_.push_back(&watch);
    if (when < nextWake_) {
      nextWake_ = when;  // the thread recomputes it; this only avoids a second notify
      notify = true;
    }
  } catch (...) {
    // No thread or no memory: go unwatched; every read still has its own timeout.
    watch.descriptor_ = -1;
    return false;
  }
  watch.owner_ = this;
  if (notify) wake_.notify_one();
  return true;
}

void DeadlineWatchdog::fire(Watch& watch, Cause cause) noexcept {
  MutexLock lock(mutex_);
  if (remove(watch)) shutDown(watch, cause);
}

std::size_t DeadlineWatchdog::armedCount() const {
  MutexLock lock(mutex_);
  return armed_.size();
}

bool DeadlineWatchdog::remove(Watch& watch) noexcept {
  const auto found = std::find(armed_.begin(), armed_.end(), &watch);
  if (found == armed_.end()) return false;
  *found = armed_.back();
  armed_.pop_back();
  return true;
}

void DeadlineWatchdog::shutDown(Watch& watch, Cause cause) noexcept {
  // Flag first, so the owner sees it when its read returns. SHUT_RD wakes a blocked read (it
  // returns EOF); SHUT_WR could turn a TLS write in progress into a SIGPIPE (OpenSSL writes
  // without MSG_NOSIGNAL). The owner closes the connection once it sees the flag.
  watch.cause_.store(cause, std::memory_order_release);
  ::shutdown(watch.descriptor_, SHUT_RD);
}

void DeadlineWatchdog::run() {
  MutexLock lock(mutex_);
  while (!stop_) {
    const Clock::time_point now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    for (std::size_t i = 0; i < armed_.size();) {
      Watch& watch = *armed_[i];
      if (watch.when_ > now) {
        next = std::min(next, watch.when_);
        ++i;
        continue;
      }
      shutDown(watch, Cause::Deadline);
      armed_[i] = armed_.back();
      armed_.pop_back();
    }
    nextWake_ = next;
    if (next == Clock::time_point::max()) {
      wake_.wait(mutex_);
    } else {
      wake_.wait_until(mutex_, next);
    }
  }
}

}  // namespace agent::bitrouter
