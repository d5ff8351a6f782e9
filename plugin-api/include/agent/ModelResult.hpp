// ModelResult: what a model call returns: the generated text, or an error as a value.
//
// Failures are expected (networks fail, servers throttle), so they are values, never exceptions.
// A ModelError carries what a caller needs to decide what to do: a kind, a one-line message, the
// HTTP status when there was one, and whether (and when) trying again can help.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "agent/ToolCall.hpp"

namespace agent {

enum class ErrorKind {
  Config,           // the provider's settings are wrong or missing
  Auth,             // credentials missing or rejected (401)
  PaymentRequired,  // out of credit (402)
  Forbidden,        // refused by policy (403)
  NotFound,         // unknown model or route (404)
  BadRequest,       // the request itself is wrong (400, 413, 415, 422)
  RateLimited,      // 429: retryable, often after a delay
  Unavailable,      // 5xx or the server cannot be reached: retryable
  Timeout,          // a deadline passed: retryable
  BadResponse,      // the reply could not be understood (malformed, empty, schema violation)
  Truncated,        // a stream ended before the model finished
  Cancelled,        // the caller stopped the call
  Refused,          // the model declined to answer; the message is its refusal. Never retried
  NoProvider,       // host: no text provider is configured at all
  NoHandler,        // host: nothing is registered for this model type (or provider)
  Busy,             // host: too many calls already queued (AGENT_MAX_QUEUED_CALLS); try later
  Internal,         // a bug: an unexpected exception caught at a boundary
};

constexpr std::string_view toString(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Config:
      return "config";
    case ErrorKind::Auth:
      return "auth";
    case ErrorKind::PaymentRequired:
      return "payment_required";
    case ErrorKind::Forbidden:
      return "forbidden";
    case ErrorKind::NotFound:
      return "not_found";
    case ErrorKind::BadRequest:
      return "bad_request";
    case ErrorKind::RateLimited:
      return "rate_limited";
    case ErrorKind::Unavailable:
      return "unavailable";
    case ErrorKind::Timeout:
      return "timeout";
    case ErrorKind::BadResponse:
      return "bad_response";
    case ErrorKind::Truncated:
      return "truncated";
    case ErrorKind::Cancelled:
      return "cancelled";
    case ErrorKind::Refused:
      return "refused";
    case ErrorKind::NoProvider:
      return "no_provider";
    case ErrorKind::NoHandler:
      return "no_handler";
    case ErrorKind::Busy:
      return "busy";
    case ErrorKind::Internal:
      return "internal";
  }
  return "unknown";
}

/// The kinds a later attempt (or another provider) may succeed at.
constexpr bool isRetryable(ErrorKind kind) {
  return kind == ErrorKind::RateLimited || kind == ErrorKind::Unavailable ||
         kind == ErrorKind::Timeout;
}

/// Token accounting for one call. `estimated` is true when the server sent no usage and the
/// numbers were derived locally (about four characters per token). The detail counts are set only
/// when the server reported them: absent is "not reported", never zero.
struct TokenUsage {
  std::int64_t promptTokens = 0;
  std::int64_t completionTokens = 0;
  std::int64_t totalTokens = 0;
  bool estimated = false;
  std::optional<std::int64_t> cacheReadInputTokens;      // prompt tokens served from a cache
  std::optional<std::int64_t> cacheCreationInputTokens;  // prompt tokens written to a cache
  std::optional<std::int64_t> reasoningTokens;           // completion tokens spent reasoning
};

struct ModelOutput {
  std::string text;
  TokenUsage usage;
  std::string finishReason;  // as sent: "stop", "length", "tool_calls", "content_filter", ...
  std::string model;         // the model string the provider asked for
  std::vector<ToolCall> toolCalls;  // the tools the model asked to run, in the order it sent them
  std::string reasoning;            // reasoning text the model sent, when it sent any
  std::string requestId;            // the request id of the call, when there was one
  int attempts = 1;                 // how many requests the call took, retries included
  std::string responseId;           // the id the server gave the completion, when it gave one
  std::string responseModel;        // the model the server says answered, when it said
  /// For a streamed call: from sending the request to the first chunk of text.
  std::optional<std::chrono::milliseconds> timeToFirstChunk;
};

struct ModelError {
  ErrorKind kind = ErrorKind::Internal;
  std::string message;  // one line: what went wrong and, where it helps, what to do
  int httpStatus = 0;   // 0 when no HTTP response was received
  bool retryable = false;
  std::optional<std::chrono::milliseconds> retryAfter;  // the server's hint, when it gave one
  std::string requestId;    // the request id of the last attempt, when there was one
  std::string partialText;  // text already delivered to a stream callback before the failure
};

inline ModelError makeError(ErrorKind kind, std::string message, int httpStatus = 0) {
  ModelError error;
  error.kind = kind;
  error.message = std::move(message);
  error.httpStatus = httpStatus;
  error.retryable = isRetryable(kind);
  return error;
}

/// Either a ModelOutput or a ModelError.
class [[nodiscard]] ModelResult {
 public:
  ModelResult(ModelOutput output) : value_(std::move(output)) {}  // NOLINT: implicit by design
  ModelResult(ModelError error) : value_(std::move(error)) {}     // NOLINT: implicit by design

  bool ok() const noexcept { return std::holds_alternative<ModelOutput>(value_); }
  explicit operator bool() const noexcept { return ok(); }

  const ModelOutput& output() const& { return std::get<ModelOutput>(value_); }
  ModelOutput& output() & { return std::get<ModelOutput>(value_); }
  const ModelError& error() const& { return std::get<ModelError>(value_); }
  ModelError& error() & { return std::get<ModelError>(value_); }

 private:
  std::variant<ModelOutput, ModelError> value_;
};

}  // namespace agent
