// JsonText: reading caller- or model-supplied JSON text without trusting it.
//
// RapidJSON parses iteratively (kParseIterativeFlag) but several of its other walks (Accept,
// SchemaDocument construction, validation) recurse, so the nesting depth is measured first; and a
// failed parse is reported as one line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/error/error.h>

namespace agent::bitrouter {

/// The deepest array/object nesting in `json` (brackets inside strings are ignored).
std::size_t jsonNestingDepth(std::string_view json) noexcept;

/// "" when `result` is a success; otherwise "<subject> is not valid JSON (<reason> at offset N)",
/// or "<subject> has a number too large for a double at offset N" when ExactNumberHandler stopped
/// the parse (`numberTooBig`).
std::string parseProblem(std::string_view subject, const rapidjson::ParseResult& result,
                         bool numberTooBig);

/// "" when no object in `value` holds a name twice; otherwise "<subject> has the name at
/// '<pointer>' twice ...". RapidJSON keeps both members, and its schema code reads the first in one
/// place and every one in another (two "dependencies" entries for one name leave a validator slot
/// unset).
std::string repeatedNameProblem(std::string_view subject, const rapidjson::Value& value);

}  // namespace agent::bitrouter
