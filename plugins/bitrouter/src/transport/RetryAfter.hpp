// RetryAfter: the Retry-After header's value (RFC 9110 §10.2.3) as a wait.
//
// The header is HTTP's, so it is read here, with the response head; the transport hands the wait
// up as ResponseHead::retryAfter and RetryPolicy (chat/) only weighs it. The value is
// delta-seconds or an HTTP-date (HttpDate); a date is turned into a wait from now.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace agent::bitrouter {

/// A Retry-After value: delta-seconds ("7", capped at a week) or an HTTP-date (IMF-fixdate,
/// RFC 850 or asctime), as a wait from `now` (0 for a date in the past). nullopt for anything
/// else.
std::optional<std::chrono::milliseconds> parseRetryAfter(
    std::string_view value,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace agent::bitrouter
