// ScriptJson: reads a ResponseScript from JSON, for the stand-in's admin endpoint.
//
// Field names are the ResponseScript member names; durations are *Ms integers
// (delayBeforeHeadersMs, frameDelayMs, trickleDelayMs); "headers" is an object; "count" repeats the
// script. Unknown fields are rejected so that a typo in a demo script fails loudly.
#pragma once

#include <optional>
#include <string>

#include <rapidjson/document.h>

#include "ResponseScript.hpp"

namespace agent::standin {

class ScriptJson {
 public:
  /// Fills `script` and `count` (default 1); on failure returns what is wrong.
  static std::optional<std::string> parse(const rapidjson::Value& json, ResponseScript& script,
                                          int& count);
};

}  // namespace agent::standin
