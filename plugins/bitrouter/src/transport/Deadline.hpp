// Deadline: the whole-call budget (BITROUTER_TIMEOUT_MS) on a monotonic clock.
//
// Every blocking step (connect, send, each read, each retry wait) takes its timeout from
// remaining(), so the call ends on time even while it is blocked in a read.
#pragma once

#include <algorithm>
#include <chrono>

namespace agent::bitrouter {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Deadline(std::chrono::milliseconds budget)
      : budget_(budget), start_(Clock::now()), end_(start_ + budget) {}

  std::chrono::milliseconds remaining() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end_ - Clock::now());
    return std::max(left, std::chrono::milliseconds::zero());
  }
  bool expired() const { return Clock::now() >= end_; }
  /// When the budget runs out (what DeadlineWatchdog waits for).
  Clock::time_point end() const noexcept { return end_; }
  std::chrono::milliseconds budget() const noexcept { return budget_; }
  std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_);
  }

 private:
  std::chrono::milliseconds budget_;
  Clock::time_point start_;
  Clock::time_point end_;
};

}  // namespace agent::bitrouter
