// ErrorEnvelope: BitRouter's error bodies and the headers that go with them.
//
// `{"error":{"message":M,"type":T,"code":C}}`, where M carries the variant's prefix
// ("bad request: ...", "unauthorized: ..."). The one exception is the upstream-400 passthrough,
// whose `error` has no type or code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "HttpResponse.hpp"

namespace agent::standin {

class ErrorEnvelope {
 public:
  static std::string json(std::string_view type, std::string_view code, std::string_view message);
  static HttpResponse make(int status, std::string_view type, std::string_view code,
                           std::string_view message);

  static HttpResponse badRequest(std::string_view detail);    // 400 "bad request: <detail>"
  static HttpResponse unauthorized(std::string_view detail);  // 401 + WWW-Authenticate
  static HttpResponse modelNotFound(std::string_view model);  // 404 no provider declares it

  /// The response a script asks for: `code` picks the variant (default: the status's usual one),
  /// `message` overrides its text. Unknown codes and statuses still get a well-formed envelope.
  static HttpResponse scripted(int status, const std::optional<std::string>& code,
                               const std::optional<std::string>& message, std::string_view model);
  /// The status a known error code is sent with, or 0.
  static int statusOf(std::string_view code);
  /// The `{"error":{...}}` JSON of a mid-stream error frame with this code.
  static std::string streamErrorJson(std::string_view code);
};

}  // namespace agent::standin
