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

#include "agent/ModelResult.hpp"
#include "errors/Expected.hpp"

namespace agent::bitrouter {

struct ChatCompletion {
  std::string text;                 // "" when content was null or absent
  std::vector<ToolCall> toolCalls;  // message.tool_calls, in order; problems not yet checked
  std::string reasoning;            // reasoning_content, else reasoning; "" when neither
  std::string refusal;              // the model's refusal; "" when it did not refuse
  std::string finishReason;         // "" when null or absent
  std::optional<TokenUsage> usage;  // absent when BitRouter sent none
  std::string id;                   // the completion's "id"; "" when absent
  std::string model;                // the completion's "model" (who answered); "" when absent
};

class ChatResponseParser {
 public:
  /// Parses `body` in place (the buffer is modified). Errors are BadResponse, message only the
  /// description ("BitRouter returned no choices").
  static Expected<ChatCompletion> parse(std::string& body);

  /// A "usage" object; nullopt when it has no token counts. The detail counts
  /// (prompt_tokens_details.cached_tokens and .cache_creation_tokens,
  /// completion_tokens_details.reasoning_tokens) are set only when present.
  static std::optional<TokenUsage> usageFrom(const rapidjson::Value& usage);

  /// A message/delta "content": string as is, null -> "", array -> its text parts joined.
  static void appendContent(const rapidjson::Value& content, std::string& out);

  /// A message/delta's reasoning text: `reasoning_content`, else `reasoning` (providers differ).
  static void appendReasoning(const rapidjson::Value& message, std::string& out);

  /// A top-level string member ("id", "model") into `out`, when it is a non-empty string.
  static void copyString(const rapidjson::Value& object, const char* name, std::string& out);
};

}  // namespace agent::bitrouter
