#include "FailoverPolicy.hpp"

#include <array>
#include <string>

#include "agent/support/Text.hpp"

namespace agent::host {

bool mentionsRateLimit(std::string_view message) {
  const std::string lower = text::toLower(message);
  constexpr std::array kWords{"rate limit", "rate-limit", "ratelimit", "rate_limit",
                              "too many requests"};
  for (const char* word : kWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

bool failsOver(const ModelError& error) {
  if (error.kind == ErrorKind::Cancelled) return false;
  if (isRetryable(error.kind) && !error.retryable) return false;  // the provider knows better
  switch (error.httpStatus) {
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
    case 529:
      return true;
    default:
      break;
  }
  if (error.kind == ErrorKind::RateLimited || error.kind == ErrorKind::Timeout) return true;
  // Unavailable without an HTTP error status: the connection failed (refused, reset, name not
  // found) or a stream broke after its 200 (an upstream error frame, a cut connection).
  if (error.kind == ErrorKind::Unavailable && error.httpStatus < 400) return true;
  return mentionsRateLimit(error.message);
}

}  // namespace agent::host
