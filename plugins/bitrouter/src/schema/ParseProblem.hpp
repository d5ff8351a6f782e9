// ParseProblem: one line that says why JSON text (a reply, a schema) could not be read.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/error/error.h>

namespace agent::bitrouter {

/// "" when `result` is a success; otherwise "<subject> is not valid JSON (<reason> at offset N)",
/// or "<subject> has a number too large for a double at offset N" when ExactNumberHandler stopped
/// the parse (`numberTooBig`).
std::string parseProblem(std::string_view subject, const rapidjson::ParseResult& result,
                         bool numberTooBig);

}  // namespace agent::bitrouter
