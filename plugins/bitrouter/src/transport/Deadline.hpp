// Deadline: the whole-call budget on a monotonic clock: BITROUTER_TIMEOUT_MS, or the caller's
// own deadline (GenerateTextParams::deadline) when that is sooner.
//
// Every blocking step (connect, send, each read, each retry wait) takes its timeout from
// remaining(), so the call ends on time even while it is blocked in a read.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>

namespace agent::bitrouter {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  /// Whose limit the budget is, for the message when it runs out.
  enum class Source {
    Setting,  // BITROUTER_TIMEOUT_MS
    Caller,   // the call's own deadline, sooner than the setting
    Probe,    // init's GET /v1/models, which has a short limit of its own
  };

  explicit Deadline(std::chrono::milliseconds setting,
                    std::optional<Clock::time_point> callerEnd = std::nullopt)
      : start_(Clock::now()), end_(start_ + setting), budget_(setting) {
    if (callerEnd && *callerEnd < end_) {
      end_ = *callerEnd;
      budget_ = std::max(std::chrono::milliseconds::zero(),
                         std::chrono::duration_cast<std::chrono::milliseconds>(end_ - start_));
      source_ = Source::Caller;
    }
  }

  /// The probe's own limit, which no setting names.
  static Deadline probe(std::chrono::milliseconds limit) {
    Deadline deadline(limit);
    deadline.source_ = Source::Probe;
    return deadline;
  }

  std::chrono::milliseconds remaining() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end_ - Clock::now());
    return std::max(left, std::chrono::milliseconds::zero());
  }
  bool expired() const { return Clock::now() >= end_; }
  /// When the budget runs out (what DeadlineWatchdog waits for).
  Clock::time_point end() const noexcept { return end_; }
  /// The whole budget, as given when the call began.
  std::chrono::milliseconds budget() const noexcept { return budget_; }
  /// True when the caller's deadline came before BITROUTER_TIMEOUT_MS.
  bool fromCaller() const noexcept { return source_ == Source::Caller; }
  Source source() const noexcept { return source_; }
  std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_);
  }

 private:
  Clock::time_point start_;
  Clock::time_point end_;
  std::chrono::milliseconds budget_;
  Source source_ = Source::Setting;
};

}  // namespace agent::bitrouter
