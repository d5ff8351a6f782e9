// ChatResponseParser: a non-streaming chat completion body -> text, tool calls, reasoning,
// refusal, finish reason, usage.
//
// Tolerant where BitRouter is loose (content null or a parts array, finish_reason null, usage
// absent) and strict where a silent success would be wrong (malformed JSON or no choice is a
// BadResponse error). Parsing is iterative, so deeply nested input cannot overflow the stack.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "Expected.hpp"
#include "agent/ModelResult.hpp"

namespace agent::bitrouter {

struct ChatCompletion {
  std::string text;                 // "" when content was null or absent
  std::vector<ToolCall> toolCalls;  // message.tool_calls, in order; problems not yet checked
  std::string reasoning;            // reasoning_content, else reasoning; "" when neither
  std::string refusal;              // the model's refusal; "" when it did not refuse
  std::string finishReason;         // "" when null or absent
  std::optional<TokenUsage> usage;  // absent when BitRouter sent none
};

class ChatResponseParser {
 public:
  /// Parses `body` in place (the buffer is modified). Errors are BadResponse, message only the
  /// description ("BitRouter returned no choices").
  static Expected<ChatCompletion> parse(std::string& body);

  /// A "usage" object; nullopt when it has no token counts.
  static std::optional<TokenUsage> usageFrom(const rapidjson::Value& usage);

  /// A message/delta "content": string as is, null -> "", array -> its text parts joined.
  static void appendContent(const rapidjson::Value& content, std::string& out);

  /// A message/delta's reasoning text: `reasoning_content`, else `reasoning` (providers differ).
  static void appendReasoning(const rapidjson::Value& message, std::string& out);
};

}  // namespace agent::bitrouter
