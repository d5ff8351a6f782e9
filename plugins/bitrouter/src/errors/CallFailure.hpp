// CallFailure: one failed attempt, before it becomes the call's ModelError.
//
// The parts of the final one-line message are kept apart until the call ends, because only
// then is it known how many attempts were made:
//   BitRouter returned 429 (upstream rate limited) for model 'gpt-4o-mini' after 3 attempts
//   [request 1b2c...]: retry later
//
// Both the transport (a failed exchange) and chat/ (an error reply) make them, so the type lives
// in errors/, below both.
#pragma once

#include <string>
#include <string_view>

#include "agent/ModelResult.hpp"

namespace agent::bitrouter {

struct [[nodiscard]] CallFailure {
  ModelError error;  // kind, status, retryable, retryAfter, requestId, partialText; message = what
  std::string hint;  // what to do about it; may be empty
  // The request may have reached BitRouter (it was fully written, or the failure came after).
  // Not a second retry flag: a fact the retry policy weighs with error.retryable.
  bool requestSent = true;

  static CallFailure make(ErrorKind kind, std::string what, std::string hint = {},
                          int httpStatus = 0);

  /// The final ModelError: "<what> for model '<model>'[ after N attempts][ [request id]][: hint]".
  /// The request id is shown once BitRouter has answered (httpStatus != 0). A Refused failure
  /// keeps its message as it is: the model's refusal.
  ModelError finish(std::string_view model, int attempts) &&;
};

}  // namespace agent::bitrouter
