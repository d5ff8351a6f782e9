// HttpErrorMapper: a BitRouter HTTP error (status + envelope) -> ErrorKind, message and hint.
//
// The status decides the kind (400/413/415/422 BadRequest, 401 Auth, 402 PaymentRequired, 403
// Forbidden, 404 NotFound, 429 RateLimited, 500/502/503 Unavailable, 504 Timeout; other 4xx
// BadRequest, other 5xx Unavailable); the envelope's code refines the hint and, for 502, the
// retry decision. Mid-stream error frames have no status, only a code, and map by code.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "agent/bitrouter/BaseUrl.hpp"
#include "agent/bitrouter/ModelTiers.hpp"
#include "chat/CallFailure.hpp"
#include "chat/ErrorEnvelopeParser.hpp"

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
  static ErrorKind kindForStreamCode(std::string_view code) noexcept;

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
