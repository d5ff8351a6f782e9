// JsonModeHint: the system line a json_object call needs when nothing in it mentions JSON.
//
// OpenAI-family upstreams reject response_format json_object unless the word "json" appears in
// the messages; the TypeScript plugin left that to the caller, and such calls failed upstream.
// When neither the system text nor any message contains "json" (any case), the request gets one
// short system line asking for JSON that matches the schema.
#pragma once

#include <string>
#include <string_view>

#include "agent/GenerateTextParams.hpp"

namespace agent::bitrouter {

class JsonModeHint {
 public:
  /// True when the system text sent, the prompt (without messages) or a message mentions "json".
  static bool mentionsJson(const GenerateTextParams& params) noexcept;

  /// The system line for a schema given as compact JSON.
  static std::string line(std::string_view schemaJson);
};

}  // namespace agent::bitrouter
