#include "chat/RetryPolicy.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace agent::bitrouter {
namespace {

double unitRandom() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

RetryPolicy::RetryPolicy(int maxRetries, Milliseconds baseDelay, Milliseconds maxDelay)
    : maxRetries_(std::max(0, maxRetries)),
      baseDelay_(std::max(Milliseconds::zero(), baseDelay)),
      maxDelay_(std::max(baseDelay_, maxDelay)) {}

bool RetryPolicy::isRetryableStatus(int status, std::string_view code) noexcept {
  switch (status) {
    case 429:
    case 503:
    case 504:
      return true;
    case 502:
      return code == "upstream_invalid_response";
    default:
      return false;  // 4xx need a fix; 500 and 502 upstream_bad_gateway rarely heal
  }
}

bool RetryPolicy::mayRetry(const CallFailure& failure) noexcept {
  const ModelError& error = failure.error;
  if (!error.retryable) return false;
  if (!failure.requestSent) return true;
  switch (error.httpStatus) {
    case 429:
    case 502:  // retryable only with upstream_invalid_response (HttpErrorMapper)
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

RetryPolicy::Milliseconds RetryPolicy::backoff(int retry, double random) const noexcept {
  if (baseDelay_.count() == 0) return Milliseconds::zero();
  const int doublings = std::clamp(retry - 1, 0, 30);
  const std::int64_t exponential = baseDelay_.count() << doublings;
  const std::int64_t capped = std::min<std::int64_t>(exponential, maxDelay_.count());
  const double jittered = static_cast<double>(capped) * (0.5 + 0.5 * std::clamp(random, 0.0, 1.0));
  return Milliseconds(static_cast<std::int64_t>(jittered));
}

RetryPolicy::Milliseconds RetryPolicy::backoff(int retry) const {
  return backoff(retry, unitRandom());
}

RetryPolicy::Plan RetryPolicy::plan(int attempts, bool retryable,
                                    std::optional<Milliseconds> retryAfter,
                                    Milliseconds remaining) const {
  Plan plan;
  if (!retryable || attempts > maxRetries_) return plan;
  plan.wait = retryAfter ? *retryAfter : backoff(attempts);
  // Leave the next attempt some time of its own; a wait that eats the rest of the budget
  // would only turn a clear server error into a vague timeout.
  if (plan.wait >= remaining) {
    plan.stoppedByDeadline = true;
    return plan;
  }
  plan.retry = true;
  return plan;
}

}  // namespace agent::bitrouter
