#include "schema/ParseProblem.hpp"

#include <rapidjson/error/en.h>

namespace agent::bitrouter {

std::string parseProblem(std::string_view subject, const rapidjson::ParseResult& result,
                         bool numberTooBig) {
  const std::string offset = " at offset " + std::to_string(result.Offset());
  if (numberTooBig) return std::string(subject) + " has a number too large for a double" + offset;
  if (!result.IsError()) return {};
  return std::string(subject) + " is not valid JSON (" +
         rapidjson::GetParseError_En(result.Code()) + offset + ")";
}

}  // namespace agent::bitrouter
