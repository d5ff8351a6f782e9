#include "chat/HttpErrorMapper.hpp"

#include <string>

#include "agent/support/Text.hpp"
#include "chat/RetryPolicy.hpp"

namespace agent::bitrouter {
namespace {

std::string seconds(std::chrono::milliseconds wait) {
  const auto whole = (wait.count() + 999) / 1000;
  return std::to_string(whole) + " s";
}

std::string hintFor(int status, const ErrorEnvelope& envelope,
                    std::optional<std::chrono::milliseconds> retryAfter,
                    const ErrorContext& context) {
  const std::string& code = envelope.code;
  switch (status) {
    case 401:
      return context.hasApiKey
                 ? "BITROUTER_API_KEY was rejected; set BITROUTER_API_KEY to a valid brvk_ key or "
                   "run BitRouter with skip_auth"
                 : "set BITROUTER_API_KEY to a brvk_ key or run BitRouter with skip_auth";
    case 402:
      return "the upstream provider account is out of credit; top it up or route to another "
             "provider";
    case 403:
      if (code == "upstream_policy_violation") {
        return "the upstream provider refused the content under its policy";
      }
      return "the policy bound to the BitRouter key refuses this call (model, tool or spend "
             "limit); check the key's policy";
    case 404:
    case 405:
      if (!envelope.envelope && envelope.message.empty()) {
        // axum's default for an unknown route: the base URL (or its prefix) is wrong.
        return "BitRouter has no " + context.baseUrl.target("/v1/chat/completions") +
               " route; check BITROUTER_BASE_URL (" + context.baseUrl.text + ")";
      }
      return context.model.describe() +
             " is not served by this BitRouter; use a model listed by GET /v1/models or pin a "
             "provider as provider:model";
    case 413:
      return "the request is larger than BitRouter accepts (16 MiB); shorten the prompt or "
             "messages";
    case 415:
      return "BitRouter rejected the request's Content-Type (a plugin bug; please report it)";
    case 429:
      if (retryAfter) return "retry after " + seconds(*retryAfter);
      return code == "rate_limit_exceeded" ? "the key's policy limits requests per minute; retry "
                                             "later"
                                           : "retry later";
    case 500:
      return "BitRouter hit an internal error; see its log for this request id";
    case 502:
      if (code == "upstream_invalid_response")
        return "an upstream sent an invalid reply; retry later";
      return "an upstream provider rejected the request (often a bad provider key or an unknown "
             "upstream model); see BitRouter's log";
    case 503:
      return "every upstream route failed; retry later";
    case 504:
      return "every upstream route timed out; retry later";
    default:
      return {};
  }
}

// What to do about a failed stream: "retry the call" only where another call can succeed.
std::string streamHint(ErrorKind kind, const ErrorEnvelope& envelope) {
  switch (kind) {
    case ErrorKind::Auth:
      return "the key was rejected; check BITROUTER_API_KEY";
    case ErrorKind::PaymentRequired:
      return "the upstream provider account is out of credit";
    case ErrorKind::Forbidden:
      return "refused by policy (the key's policy or the upstream's content policy)";
    case ErrorKind::NotFound:
      return "the model is not served; check the model name";
    case ErrorKind::BadRequest:
      return "the request was rejected; change it (shorter messages, valid tools) before sending "
             "it again";
    case ErrorKind::RateLimited:
      return "a stream that has started is not retried; retry the call later";
    case ErrorKind::Unavailable:
      if (envelope.code == "upstream_bad_gateway") {
        return "an upstream provider rejected the request; see BitRouter's log";
      }
      return "a stream that has started is not retried; retry the call";
    default:
      return "a stream that has started is not retried; retry the call";
  }
}

}  // namespace

ErrorKind HttpErrorMapper::kindForStatus(int status) noexcept {
  switch (status) {
    case 400:
    case 413:
    case 415:
    case 422:
      return ErrorKind::BadRequest;
    case 401:
      return ErrorKind::Auth;
    case 402:
      return ErrorKind::PaymentRequired;
    case 403:
      return ErrorKind::Forbidden;
    case 404:
      return ErrorKind::NotFound;
    case 429:
      return ErrorKind::RateLimited;
    case 504:
      return ErrorKind::Timeout;
    default:
      return status >= 500 ? ErrorKind::Unavailable : ErrorKind::BadRequest;
  }
}

std::optional<ErrorKind> HttpErrorMapper::kindForWord(std::string_view word) noexcept {
  struct Entry {
    std::string_view word;
    ErrorKind kind;
  };
  // BitRouter's own codes and types and the common upstream ones it passes through (OpenAI,
  // Groq, DeepSeek, xAI), then Google's canonical status words, which Gemini-style upstreams send
  // as "status" ("RESOURCE_EXHAUSTED"). Matched without regard to case.
  static constexpr Entry kWords[] = {
      {"upstream_timeout", ErrorKind::Timeout},
      {"timeout", ErrorKind::Timeout},
      {"upstream_rate_limited", ErrorKind::RateLimited},
      {"rate_limit_exceeded", ErrorKind::RateLimited},
      {"rate_limit_error", ErrorKind::RateLimited},
      {"upstream_policy_violation", ErrorKind::Forbidden},
      {"permission_denied", ErrorKind::Forbidden},
      {"permission_error", ErrorKind::Forbidden},
      {"invalid_api_key", ErrorKind::Auth},
      {"authentication_error", ErrorKind::Auth},
      {"unauthorized", ErrorKind::Auth},
      {"payment_required", ErrorKind::PaymentRequired},
      {"upstream_payment_required", ErrorKind::PaymentRequired},
      {"insufficient_quota", ErrorKind::PaymentRequired},
      {"model_not_found", ErrorKind::NotFound},
      {"not_found", ErrorKind::NotFound},
      {"not_found_error", ErrorKind::NotFound},
      {"context_length_exceeded", ErrorKind::BadRequest},
      {"tool_use_failed", ErrorKind::BadRequest},
      {"invalid_request", ErrorKind::BadRequest},
      {"invalid_request_error", ErrorKind::BadRequest},
      {"bad_request", ErrorKind::BadRequest},
      {"upstream_bad_gateway", ErrorKind::Unavailable},
      {"upstream_unavailable", ErrorKind::Unavailable},
      {"upstream_invalid_response", ErrorKind::Unavailable},
      {"internal_error", ErrorKind::Unavailable},
      {"server_error", ErrorKind::Unavailable},
      // Google's canonical codes.
      {"resource_exhausted", ErrorKind::RateLimited},
      {"unavailable", ErrorKind::Unavailable},
      {"deadline_exceeded", ErrorKind::Timeout},
      {"unauthenticated", ErrorKind::Auth},
      {"invalid_argument", ErrorKind::BadRequest},
      {"failed_precondition", ErrorKind::BadRequest},
      {"out_of_range", ErrorKind::BadRequest},
      {"already_exists", ErrorKind::BadRequest},
      {"unimplemented", ErrorKind::BadRequest},
      {"internal", ErrorKind::Unavailable},
      {"aborted", ErrorKind::Unavailable},
      {"data_loss", ErrorKind::Unavailable},
      {"unknown", ErrorKind::Unavailable},
      {"cancelled", ErrorKind::Unavailable},  // the upstream's own cancel, not the caller's
  };
  for (const Entry& entry : kWords) {
    if (text::equalsIgnoreCase(entry.word, word)) return entry.kind;
  }
  return std::nullopt;
}

ErrorKind HttpErrorMapper::kindForResponse(int status, const ErrorEnvelope& envelope) noexcept {
  // Only the catch-all statuses are refined: an upstream 400 passed through, or a 5xx, may say
  // in words what really happened; 401, 403, 404, 429 and the rest already say it.
  if (status == 400 || status >= 500) {
    if (auto kind = kindForWord(envelope.code)) return *kind;
    if (auto kind = kindForWord(envelope.statusWord)) return *kind;
  }
  return kindForStatus(status);
}

ErrorKind HttpErrorMapper::kindForStreamCode(std::string_view code) noexcept {
  return kindForWord(code).value_or(ErrorKind::Unavailable);
}

ErrorKind HttpErrorMapper::kindForStreamError(const ErrorEnvelope& envelope) noexcept {
  if (auto kind = kindForWord(envelope.code)) return *kind;
  if (auto kind = kindForWord(envelope.statusWord)) return *kind;
  // A generic type ("upstream_error", "api_error") says less than a status, so it comes after.
  if (envelope.status >= 400) return kindForStatus(envelope.status);
  if (auto kind = kindForWord(envelope.type)) return *kind;
  return ErrorKind::Unavailable;
}

CallFailure HttpErrorMapper::fromResponse(int status, std::string_view reason,
                                          const ErrorEnvelope& envelope,
                                          std::optional<std::chrono::milliseconds> retryAfter,
                                          const ErrorContext& context) {
  std::string what = "BitRouter returned " + std::to_string(status);
  const std::string_view detail = envelope.message.empty() ? reason : envelope.message;
  if (!detail.empty()) {
    what += " (";
    what += detail;
    what += ")";
  }
  CallFailure failure = CallFailure::make(kindForResponse(status, envelope), std::move(what),
                                          hintFor(status, envelope, retryAfter, context), status);
  failure.error.retryAfter = retryAfter;
  // A 502 other than upstream_invalid_response means a bad key or model upstream: trying
  // again (here or on another provider through MODEL_FAILOVER) cannot help.
  if (status == 502 && !RetryPolicy::isRetryableStatus(status, envelope.code)) {
    failure.error.retryable = false;
  }
  return failure;
}

CallFailure HttpErrorMapper::fromStreamError(const ErrorEnvelope& envelope,
                                             std::size_t deliveredChars) {
  std::string what = "BitRouter stream failed after " + std::to_string(deliveredChars) +
                     " characters (" + (envelope.message.empty() ? "no message" : envelope.message);
  if (!envelope.code.empty()) what += ", code " + envelope.code;
  what += ")";
  const ErrorKind kind = kindForStreamError(envelope);
  CallFailure failure = CallFailure::make(kind, std::move(what), streamHint(kind, envelope), 200);
  return failure;
}

}  // namespace agent::bitrouter
