#include "ErrorEnvelope.hpp"

#include <array>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agent::standin {
namespace {

struct Variant {
  int status;
  std::string_view type;
  std::string_view code;
  std::string_view message;  // the public message a script gets unless it overrides it
};

// One row per variant a client can meet.
constexpr std::array kVariants{
    Variant{400, "invalid_request_error", "invalid_request", "bad request: scripted rejection"},
    Variant{400, "", "upstream_bad_request", "upstream rejected the request"},
    Variant{401, "authentication_error", "authentication_error", "unauthorized: unknown API key"},
    Variant{402, "payment_required", "upstream_payment_required", "upstream payment required"},
    Variant{402, "payment_required", "payment_required", "payment required: insufficient balance"},
    Variant{403, "permission_error", "permission_denied",
            "forbidden: spend limit reached (1000000 / 1000000 micro-USD)"},
    Variant{403, "permission_error", "upstream_policy_violation",
            "upstream content policy violation"},
    Variant{404, "not_found_error", "not_found", ""},  // message names the model
    Variant{429, "rate_limit_error", "upstream_rate_limited", "upstream rate limited"},
    Variant{429, "rate_limit_error", "rate_limit_exceeded", "rate limited"},
    Variant{500, "internal_error", "internal_error", "internal error: scripted failure"},
    Variant{502, "upstream_error", "upstream_bad_gateway", "upstream request failed"},
    Variant{502, "upstream_error", "upstream_invalid_response",
            "upstream returned an invalid response"},
    Variant{503, "upstream_error", "upstream_unavailable", "upstream unavailable"},
    Variant{504, "upstream_error", "upstream_timeout", "upstream timeout"},
};

const Variant* findByCode(std::string_view code) {
  for (const auto& variant : kVariants) {
    if (variant.code == code) return &variant;
  }
  return nullptr;
}

// The first row for a status is its usual variant.
const Variant* findByStatus(int status) {
  for (const auto& variant : kVariants) {
    if (variant.status == status) return &variant;
  }
  return nullptr;
}

std::string notFoundMessage(std::string_view model) {
  return "not found: no active provider declares model '" + std::string(model) + "'";
}

}  // namespace

std::string ErrorEnvelope::json(std::string_view type, std::string_view code,
                                std::string_view message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.StartObject();
  writer.Key("message");
  writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  if (!type.empty()) {  // empty only for the upstream-400 passthrough
    writer.Key("type");
    writer.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
    writer.Key("code");
    writer.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  }
  writer.EndObject();
  writer.EndObject();
  return buffer.GetString();
}

HttpResponse ErrorEnvelope::make(int status, std::string_view type, std::string_view code,
                                 std::string_view message) {
  HttpResponse response = HttpResponse::json(status, json(type, code, message));
  if (status == 401) {
    response.headers.emplace_back("www-authenticate", "Bearer realm=\"bitrouter\"");
  } else if (code == "payment_required") {
    response.headers.emplace_back("www-authenticate",
                                  "Bitrouter-MPP realm=\"bitrouter\", scheme=\"tempo-voucher\"");
  } else if (code == "rate_limit_exceeded") {
    response.headers.emplace_back("retry-after", "60");  // policy RPM limits always say 60
  } else if (code == "upstream_rate_limited") {
    response.headers.emplace_back("retry-after", "1");
    response.headers.emplace_back("x-bitrouter-error-source", "upstream");
  }
  return response;
}

HttpResponse ErrorEnvelope::badRequest(std::string_view detail) {
  return make(400, "invalid_request_error", "invalid_request",
              "bad request: " + std::string(detail));
}

HttpResponse ErrorEnvelope::unauthorized(std::string_view detail) {
  return make(401, "authentication_error", "authentication_error",
              "unauthorized: " + std::string(detail));
}

HttpResponse ErrorEnvelope::modelNotFound(std::string_view model) {
  return make(404, "not_found_error", "not_found", notFoundMessage(model));
}

HttpResponse ErrorEnvelope::scripted(int status, const std::optional<std::string>& code,
                                     const std::optional<std::string>& message,
                                     std::string_view model) {
  // Framework rejections are plain text, not envelopes.
  if (status == 413) {
    return HttpResponse::plainText(413, "Failed to buffer the request body: length limit exceeded");
  }
  if (status == 415) {
    return HttpResponse::plainText(415, "Expected request with `Content-Type: application/json`");
  }
  const Variant* variant = code ? findByCode(*code) : findByStatus(status);
  if (variant == nullptr) {
    return make(status, "upstream_error", code.value_or("upstream_error"),
                message.value_or("stand-in scripted status " + std::to_string(status)));
  }
  std::string text = message.value_or(variant->code == "not_found" ? notFoundMessage(model)
                                                                   : std::string(variant->message));
  return make(status, variant->type, variant->code, text);
}

int ErrorEnvelope::statusOf(std::string_view code) {
  const Variant* variant = findByCode(code);
  return variant == nullptr ? 0 : variant->status;
}

std::string ErrorEnvelope::streamErrorJson(std::string_view code) {
  const Variant* variant = findByCode(code);
  if (variant == nullptr || variant->type.empty()) {
    return json("upstream_error", code, "upstream error");
  }
  return json(variant->type, variant->code, variant->message);
}

}  // namespace agent::standin
