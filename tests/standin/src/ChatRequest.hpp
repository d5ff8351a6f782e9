// ChatRequest: the parts of a validated /v1/chat/completions body the stand-in's reply depends on.
#pragma once

#include <cstddef>
#include <string>

namespace agent::standin {

enum class ResponseFormat { None, Text, JsonObject, JsonSchema };

struct ChatRequest {
  std::string model;  // as sent; ModelResolver sanitises it
  bool stream = false;
  std::string lastUserText;     // text of the last user message (text parts joined)
  std::size_t promptChars = 0;  // all message text, for the usage estimate
  ResponseFormat responseFormat = ResponseFormat::None;
};

}  // namespace agent::standin
