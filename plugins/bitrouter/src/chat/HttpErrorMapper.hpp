// HttpErrorMapper: a BitRouter HTTP error (status + envelope) -> ErrorKind, message and hint.
//
// The status decides the kind (400/413/415/422 BadRequest, 401 Auth, 402 PaymentRequired, 403
// Forbidden, 404 NotFound, 429 RateLimited, 500/502/503 Unavailable, 504 Timeout; other 4xx
// BadRequest, other 5xx Unavailable); for 400 and 5xx a code or status word the envelope carries
// (BitRouter's codes, Google's "RESOURCE_EXHAUSTED" and the like) refines the kind; the code also
// refines the hint and, for 502, the retry decision. Mid-stream error frames arrive with status
// 200, so they map by what the frame says: its code, its status word, a status number it
// carries, then its type.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "agent/bitrouter/BaseUrl.hpp"
#include "agent/bitrouter/ModelTiers.hpp"
#include "chat/ErrorEnvelopeParser.hpp"
#include "errors/CallFailure.hpp"

namespace agent::bitrouter {

/// What the mapper needs to know about the call to write a useful hint.
struct ErrorContext {
  const ModelChoice& model;
  const BaseUrl& baseUrl;
  bool hasApiKey = false;
};

class HttpErrorMapper {
 public:
  static ErrorKind kindForStatus(int status) noexcept;
  /// The kind of a code or type word (e.g. "invalid_api_key", "rate_limit_error"); nullopt for
  /// words it does not know.
  static std::optional<ErrorKind> kindForWord(std::string_view word) noexcept;
  /// A non-2xx response: its status, refined for 400 and 5xx by the envelope's code or status
  /// word (a passed-through "RESOURCE_EXHAUSTED" is RateLimited).
  static ErrorKind kindForResponse(int status, const ErrorEnvelope& envelope) noexcept;
  /// A code alone: kindForWord, else Unavailable (an unknown server-side failure).
  static ErrorKind kindForStreamCode(std::string_view code) noexcept;
  /// A whole error frame: its code, else its type, else its status, else Unavailable.
  static ErrorKind kindForStreamError(const ErrorEnvelope& envelope) noexcept;

  /// A non-2xx response. `reason` is the HTTP reason phrase, shown when the body has no message.
  static CallFailure fromResponse(int status, std::string_view reason,
                                  const ErrorEnvelope& envelope,
                                  std::optional<std::chrono::milliseconds> retryAfter,
                                  const ErrorContext& context);

  /// A data: {"error": ...} frame after `deliveredChars` characters were streamed. Never
  /// retried: output may already have reached the caller.
  static CallFailure fromStreamError(const ErrorEnvelope& envelope, std::size_t deliveredChars);
};

}  // namespace agent::bitrouter
