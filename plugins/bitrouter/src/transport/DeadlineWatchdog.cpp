#include "transport/DeadlineWatchdog.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include <Poco/Net/SocketImpl.h>

namespace agent::bitrouter {

void DeadlineWatchdog::Watch::disarm() noexcept {
  if (owner_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(owner_->mutex_);
    owner_->remove(*this);  // a no-op when it already fired
  }
  ::close(descriptor_);
  descriptor_ = -1;
  owner_ = nullptr;
}

DeadlineWatchdog::~DeadlineWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool DeadlineWatchdog::arm(Watch& watch, const Poco::Net::Socket& socket,
                           Clock::time_point when) noexcept {
  const Poco::Net::SocketImpl* impl = socket.impl();
  const int descriptor = impl == nullptr ? -1 : static_cast<int>(impl->sockfd());
  if (descriptor < 0) return false;
  const int copy = ::fcntl(descriptor, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return false;

  bool notify = false;
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    watch.when_ = when;
    watch.descriptor_ = copy;
    watch.fired_.store(false, std::memory_order_relaxed);
    armed_.push_back(&watch);
    if (when < nextWake_) {
      nextWake_ = when;  // the thread recomputes it; this only avoids a second notify
      notify = true;
    }
  } catch (...) {
    // No thread or no memory: go unwatched; every read still has its own timeout.
    ::close(copy);
    watch.descriptor_ = -1;
    return false;
  }
  watch.owner_ = this;
  if (notify) wake_.notify_one();
  return true;
}

std::size_t DeadlineWatchdog::armedCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return armed_.size();
}

void DeadlineWatchdog::remove(Watch& watch) noexcept {
  const auto found = std::find(armed_.begin(), armed_.end(), &watch);
  if (found == armed_.end()) return;
  *found = armed_.back();
  armed_.pop_back();
}

void DeadlineWatchdog::run() {
  std::unique_lock<std::mutex> lock(mutex_);
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
      // Flag first, so the owner sees it when its read returns. SHUT_RD wakes a blocked read
      // (it returns EOF); SHUT_WR could turn a TLS write in progress into a SIGPIPE (OpenSSL
      // writes without MSG_NOSIGNAL). The owner closes the connection once it sees the flag.
      watch.fired_.store(true, std::memory_order_release);
      ::shutdown(watch.descriptor_, SHUT_RD);
      armed_[i] = armed_.back();
      armed_.pop_back();
    }
    nextWake_ = next;
    if (next == Clock::time_point::max()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, next);
    }
  }
}

}  // namespace agent::bitrouter
