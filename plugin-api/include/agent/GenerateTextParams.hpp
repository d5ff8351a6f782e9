// GenerateTextParams: one text-generation call, as the host hands it to a provider.
//
// Mirrors elizaOS's GenerateTextParams. Every optional field is "not set" unless the caller (or a
// host-side DEFAULT_<PARAM> / <TYPE>_<PARAM> setting) set it; providers forward only what is set.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agent {

/// One chat message. Roles follow the OpenAI convention: system, developer, user, assistant, tool.
struct ChatMessage {
  std::string role;
  std::string content;
};

/// Receives each piece of streamed text as it arrives. Return false to cancel the call: the
/// provider stops reading, closes the connection and ends the call as ErrorKind::Cancelled.
using ChunkCallback = std::function<bool(std::string_view chunk)>;

struct GenerateTextParams {
  std::string prompt;
  std::optional<std::string> system;
  std::vector<ChatMessage> messages;  // when non-empty, used instead of system + prompt

  std::optional<std::int64_t> maxTokens;
  std::optional<double> temperature;
  std::optional<double> topP;
  std::optional<double> topK;  // elizaOS fields a provider may ignore
  std::optional<double> minP;
  std::optional<double> repetitionPenalty;
  std::optional<std::int64_t> seed;
  std::optional<double> frequencyPenalty;
  std::optional<double> presencePenalty;
  std::optional<std::vector<std::string>> stopSequences;

  std::optional<std::string> responseSchema;  // JSON Schema as JSON text: asks for a JSON reply
  std::optional<std::string> user;

  bool stream = false;
  ChunkCallback onChunk;  // called only when stream is true
};

}  // namespace agent
