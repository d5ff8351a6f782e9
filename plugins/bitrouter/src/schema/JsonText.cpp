#include "schema/JsonText.hpp"

#include <rapidjson/error/en.h>

namespace agent::bitrouter {
std::size_t jsonNestingDepth(std::string_view json) noexcept {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool inString = false;
  bool escaped = false;
  for (const char c : json) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string parseProblem(std::string_view subject, const rapidjson::ParseResult& result,
                         bool numberTooBig) {
  const std::string offset = " at offset " + std::to_string(result.Offset());
  if (numberTooBig) return std::string(subject) + " has a number too large for a double" + offset;
  if (!result.IsError()) return {};
  return std::string(subject) + " is not valid JSON (" +
         rapidjson::GetParseError_En(result.Code()) + offset + ")";
}

}  // namespace agent::bitrouter
