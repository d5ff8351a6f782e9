// CancellationToken: lets a caller stop a model call in flight, from any thread.
//
// The caller keeps the token and calls cancel(); the provider checks cancelled() between steps
// and registers a callback that aborts blocking work at once (for example, closes the socket).
// A provider ends a cancelled call as ErrorKind::Cancelled and never retries it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace agent {

class CancellationToken {
 public:
  CancellationToken() = default;
  CancellationToken(const CancellationToken&) = delete;
  CancellationToken& operator=(const CancellationToken&) = delete;

  /// Cancels once: later calls do nothing. Runs every registered callback on this thread.
  void cancel() noexcept {
    std::lock_guard lock(mutex_);
    if (cancelled_.exchange(true)) return;
    for (auto& [id, callback] : callbacks_) {
      try {
        callback();
      } catch (...) {  // a callback must not stop the others
      }
    }
  }

  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }

  /// Runs `callback` at cancel(), or at once when already cancelled. The callback runs under the
  /// token's lock: keep it short and do not call back into the token. Returns an id for remove().
  std::uint64_t onCancel(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    if (cancelled_.load()) {
      try {
        callback();
      } catch (...) {
      }
      return 0;
    }
    callbacks_.emplace_back(++nextId_, std::move(callback));
    return nextId_;
  }

  /// How many callbacks are registered and not removed (for tests and diagnostics).
  std::size_t callbackCount() const noexcept {
    std::lock_guard lock(mutex_);
    return callbacks_.size();
  }

  /// Unregisters a callback. When it returns, the callback is not running and never will, so
  /// what it refers to may be destroyed.
  void remove(std::uint64_t id) noexcept {
    std::lock_guard lock(mutex_);
    for (auto it = callbacks_.begin(); it != callbacks_.end(); ++it) {
      if (it->first == id) {
        callbacks_.erase(it);
        return;
      }
    }
  }

 private:
  mutable std::mutex mutex_;
  std::atomic<bool> cancelled_{false};
  std::vector<std::pair<std::uint64_t, std::function<void()>>> callbacks_;
  std::uint64_t nextId_ = 0;
};

}  // namespace agent
