// ChatRequestBuilder: the /v1/chat/completions body, written with a RapidJSON Writer.
//
// Only what the call sets is sent (BitRouter's parser is strict: integers for max_tokens and
// seed, never null for arrays or stream). Key order follows the TypeScript plugin's goldens:
// model, max_tokens, temperature, top_p, frequency_penalty, presence_penalty, response_format,
// stop, seed, then tools, tool_choice, parallel_tool_calls (ToolsJson), messages, then stream. Not
// sent, on purpose: `user` (elizaOS fills it with the character name; BitRouter forwards it only to
// some upstreams and it leaks an identity), topK, minP, repetitionPenalty (not part of BitRouter's
// request), and an empty stop list.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>

#include "agent/GenerateTextParams.hpp"
#include "schema/CompiledSchema.hpp"

namespace agent::bitrouter {

struct ChatRequest {
  std::string_view model;
  const GenerateTextParams& params;
  const CompiledSchema* schema = nullptr;  // set when params.responseSchema is
  bool structuredOutputs = false;          // json_schema (strict) instead of json_object
  bool stream = false;
};

class ChatRequestBuilder {
 public:
  /// Local checks the AI SDK made before sending (maxTokens >= 1, finite numbers, known roles),
  /// and what BitRouter would reject in tools and tool history (ToolsJson::validate).
  /// Returns the problem, or nullopt when the call may be sent.
  static std::optional<std::string> validate(const GenerateTextParams& params);

  /// Writes the body into `out` (cleared first, capacity kept). Returns a problem (text that is
  /// not valid UTF-8) or nullopt.
  static std::optional<std::string> build(const ChatRequest& request, rapidjson::StringBuffer& out);
};

}  // namespace agent::bitrouter
