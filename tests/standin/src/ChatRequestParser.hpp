// ChatRequestParser: BitRouter's strict ChatRequest deserialisation and validation.
//
// Only what BitRouter itself rejects is rejected, with its message shapes: serde-style type errors
// wrapped as "failed to deserialize ChatRequest: ... body preview: ...", plus the explicit checks
// (unknown role, tool message without tool_call_id, conflicting token limits).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "ChatRequest.hpp"

namespace agent::standin {

class ChatRequestParser {
 public:
  /// Fills `request` from the parsed body; on failure returns the 400 detail (without the
  /// "bad request: " prefix).
  static std::optional<std::string> parse(const rapidjson::Value& root, std::string_view body,
                                          ChatRequest& request);
};

}  // namespace agent::standin
