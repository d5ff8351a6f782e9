// ModelUsed: builds a provider's MODEL_USED event from the call, so no plugin fills it by hand.
//
//   const auto started = std::chrono::steady_clock::now();
//   ... the call ...
//   host.emitModelUsed(agent::modelUsedEvent("myprovider", type, params, output, started));
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "agent/Events.hpp"
#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"

namespace agent {

/// The most of a prompt an event carries, in characters (code points).
inline constexpr std::size_t kEventPromptChars = 200;

/// `text` cut to at most `maxChars` code points, never inside a UTF-8 sequence.
inline std::string cutToChars(std::string_view text, std::size_t maxChars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) != 0x80) {  // the first byte of a character
      if (chars == maxChars) return std::string(text.substr(0, i));
      ++chars;
    }
  }
  return std::string(text);
}

/// The prompt a call is about: params.prompt, or the last user message of params.messages.
inline std::string_view callPrompt(const GenerateTextParams& params) {
  if (!params.prompt.empty() || params.messages.empty()) return params.prompt;
  for (auto it = params.messages.rbegin(); it != params.messages.rend(); ++it) {
    if (it->role == "user") return it->content;
  }
  return {};
}

/// The sampling settings `params` asked for.
inline RequestedSampling requestedSampling(const GenerateTextParams& params) {
  RequestedSampling sampling;
  sampling.maxTokens = params.maxTokens;
  sampling.temperature = params.temperature;
  sampling.topP = params.topP;
  sampling.topK = params.topK;
  sampling.frequencyPenalty = params.frequencyPenalty;
  sampling.presencePenalty = params.presencePenalty;
  sampling.seed = params.seed;
  if (params.stopSequences) sampling.stopSequences = *params.stopSequences;
  return sampling;
}

/// MODEL_USED for a call of `type` that began at `started` (steady clock) and produced `output`.
/// The provider adds what only it knows (serverAddress, serverPort) before emitting.
inline ModelUsedEvent modelUsedEvent(std::string_view provider, ModelType type,
                                     const GenerateTextParams& params, const ModelOutput& output,
                                     std::chrono::steady_clock::time_point started) {
  const auto now = std::chrono::steady_clock::now();
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - started);
  ModelUsedEvent event;
  event.provider = std::string(provider);
  event.type = type;
  event.model = output.model;
  event.tokens = output.usage;
  event.duration = elapsed;
  event.requestId = output.requestId;
  event.streamed = params.stream;
  event.attempts = output.attempts;
  event.prompt = cutToChars(callPrompt(params), kEventPromptChars);
  event.responseId = output.responseId;
  event.responseModel = output.responseModel;
  event.finishReason = output.finishReason;
  event.timeToFirstChunk = output.timeToFirstChunk;
  event.startTime = std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      std::chrono::system_clock::now() - elapsed);
  event.request = requestedSampling(params);
  event.trace = params.trace;
  return event;
}

}  // namespace agent
