// StrictSchema: whether a schema can be sent as strict json_schema (BITROUTER_STRUCTURED_OUTPUTS).
//
// OpenAI-family upstreams answer 400 to a strict schema unless every object schema closes its
// properties (additionalProperties: false) and lists every one of them in required. Checking
// that here names the object that breaks the rule before anything is sent.
#pragma once

#include <string>

#include <rapidjson/document.h>

namespace agent::bitrouter {

/// "" when `schema` (as the caller wrote it) meets the strict-mode rules; otherwise which object
/// breaks which rule.
std::string strictModeProblem(const rapidjson::Value& schema);

}  // namespace agent::bitrouter
