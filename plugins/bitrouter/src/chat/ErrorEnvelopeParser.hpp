// ErrorEnvelopeParser: BitRouter's error bodies, whatever shape they come in.
//
// BitRouter's own errors are {"error":{"message","type","code"}}; an upstream 400 is passed
// through as {"error": <any object or a string>}; axum's framework rejections (413, 415) are
// plain text; unknown paths answer with an empty body; a proxy in front may answer with HTML.
// Every shape yields a short, single-line, redacted message (possibly empty).
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "config/Redactor.hpp"

namespace agent::bitrouter {

struct ErrorEnvelope {
  std::string message;     // BitRouter's message, or an excerpt of a body that is not an envelope
  std::string type;        // e.g. "rate_limit_error"; empty when absent
  std::string code;        // e.g. "upstream_rate_limited" (a number as its digits); "" when absent
  int status = 0;          // an HTTP status the error carries (status_code, status or a numeric
                           // code; a number or its digits); 0 when none
  std::string statusWord;  // a status that is a word, as Google-style upstreams send it
                           // ("RESOURCE_EXHAUSTED"); empty when absent
  bool envelope = false;   // the body was JSON with an "error" member
};

class ErrorEnvelopeParser {
 public:
  static constexpr std::size_t kMaxMessageBytes = 300;

  /// Parses an HTTP error body.
  static ErrorEnvelope parse(std::string_view body, const Redactor& redactor = Redactor());

  /// Reads the value of an "error" member (object or string) of an already parsed document;
  /// `rawBody` is excerpted when the value carries no message.
  static ErrorEnvelope fromErrorValue(const rapidjson::Value& error, std::string_view rawBody,
                                      const Redactor& redactor = Redactor());
};

}  // namespace agent::bitrouter
