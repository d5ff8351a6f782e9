// CompletionRenderer: the JSON of BitRouter chat replies: a chat.completion and the
// chat.completion.chunk frames of a stream. Neither carries `created`; `id` is the request id.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ResponseScript.hpp"

namespace agent::standin {

struct Usage {
  std::size_t promptTokens = 0;
  std::size_t completionTokens = 0;
  std::optional<std::size_t> cachedTokens{};
  std::optional<std::size_t> cacheCreationTokens{};
  std::optional<std::size_t> reasoningTokens{};
};

struct Completion {
  std::string_view id;
  std::string_view model;
  std::optional<std::string_view> content;  // nullopt: "content": null
  std::optional<std::string_view> finishReason;
  std::optional<Usage> usage;
  bool emptyChoices = false;
  std::optional<std::string_view> reasoning{};  // reasoning_content
  std::optional<std::string_view> refusal{};    // an OpenAI-style `refusal` field
  const std::vector<ScriptedToolCall>* toolCalls = nullptr;
};

/// One piece of a streamed tool call.
struct ToolCallDelta {
  std::size_t index = 0;
  std::string_view id;
  std::optional<std::string_view> name;  // on the opening delta (or every one)
  std::string_view arguments;
};

/// What one stream chunk's delta carries besides the role.
struct Delta {
  std::optional<std::string_view> content{};
  std::optional<std::string_view> reasoning{};
  std::optional<std::string_view> refusal{};
  std::optional<ToolCallDelta> toolCall{};
};

class CompletionRenderer {
 public:
  static std::string completion(const Completion& completion);

  /// One stream chunk. `role` marks the first chunk; no `content` and no `finishReason` gives
  /// "delta":{} (plus the role when set).
  static std::string chunk(std::string_view id, std::string_view model, bool role,
                           std::optional<std::string_view> content,
                           std::optional<std::string_view> finishReason);

  /// The last chunk of a stream that reports usage: "choices": [] and the usage.
  static std::string usageChunk(std::string_view id, std::string_view model, const Usage& usage);

  /// A chunk with any delta (reasoning, refusal, a tool-call piece) and no finish reason.
  static std::string deltaChunk(std::string_view id, std::string_view model, bool role,
                                const Delta& delta);
};

}  // namespace agent::standin
