// ToolsJson: the tool parts of a /v1/chat/completions body, and their local checks.
//
// `tools` as [{"type":"function","function":{name, description, parameters, strict}}] with only
// the fields a ToolDefinition sets, `tool_choice` only when the caller chose (as "none",
// "required" or {"type":"function","function":{"name":...}}: "auto" is what its absence means),
// `parallel_tool_calls` only when set, and an
// assistant message's `tool_calls` with `function.arguments` as a string. BitRouter's parser is
// strict serde: never null for arrays or booleans, an id on every history tool call, and a
// tool_call_id on every tool message, so those are checked before anything is sent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "agent/GenerateTextParams.hpp"

namespace agent::bitrouter {

using BodyWriter = rapidjson::Writer<rapidjson::StringBuffer>;

class ToolsJson {
 public:
  /// The problem with the call's tools, tool choice or tool history, or nullopt.
  static std::optional<std::string> validate(const GenerateTextParams& params);

  /// Writes `tools`, `tool_choice` and `parallel_tool_calls` (nothing when there are no tools).
  /// Returns a problem (text that is not UTF-8) or nullopt. Expects validate() to have passed.
  static std::optional<std::string> writeTools(BodyWriter& writer,
                                               const GenerateTextParams& params);

  /// Writes the `tool_calls` member of an assistant history message. False when some text is not
  /// valid UTF-8.
  static bool writeToolCalls(BodyWriter& writer, const std::vector<ToolCall>& calls);

  /// True when `json` is the text of one JSON object (valid UTF-8, nothing after it).
  static bool isJsonObjectText(std::string_view json);
};

}  // namespace agent::bitrouter
