// RetryPolicy: which failures are worth another attempt, and how long to wait first.
//
// BitRouter already walks every upstream route before it answers, so the plugin
// retries sparingly: 429, 503, 504, 502 upstream_invalid_response and failures to connect, at
// most BITROUTER_MAX_RETRIES times. The wait honours the server's Retry-After (read with the
// response head: transport/RetryAfter); otherwise it is exponential (base x 2^n, capped) with
// jitter so that many agents throttled at once do not come back in step. A wait that would pass
// the call's deadline ends the call.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "errors/CallFailure.hpp"

namespace agent::bitrouter {

class RetryPolicy {
 public:
  using Milliseconds = std::chrono::milliseconds;

  struct [[nodiscard]] Plan {
    bool retry = false;
    bool stoppedByDeadline = false;  // a retry was allowed but the wait would pass the deadline
    Milliseconds wait{0};
  };

  RetryPolicy(int maxRetries, Milliseconds baseDelay, Milliseconds maxDelay);

  /// BitRouter statuses that are safe to retry (see the file comment). `code` is the error
  /// envelope's code ("upstream_invalid_response" makes a 502 retryable).
  static bool isRetryableStatus(int status, std::string_view code) noexcept;

  /// The wait before retry `retry` (1 for the first retry), with jitter drawn from
  /// `unitRandom` in [0, 1): between half and all of min(maxDelay, base x 2^(retry-1)).
  Milliseconds backoff(int retry, double unitRandom) const noexcept;
  Milliseconds backoff(int retry) const;  // random jitter

  /// Whether the plugin sends a failed attempt's request again: the error must be retryable,
  /// and the request either not sent (a failed connect) or answered with 429, 502 (only
  /// upstream_invalid_response is retryable), 503 or 504. Anything else that was sent may still
  /// run and bill, and a stream that started is never replayed.
  static bool mayRetry(const CallFailure& failure) noexcept;

  /// Whether attempt `attempts` (1-based, just failed) is followed by another, and after what
  /// wait. `retryable` is mayRetry() of the failure; `retryAfter` the server's hint.
  Plan plan(int attempts, bool retryable, std::optional<Milliseconds> retryAfter,
            Milliseconds remaining) const;

  int maxRetries() const noexcept { return maxRetries_; }

 private:
  int maxRetries_;
  Milliseconds baseDelay_;
  Milliseconds maxDelay_;
};

}  // namespace agent::bitrouter
