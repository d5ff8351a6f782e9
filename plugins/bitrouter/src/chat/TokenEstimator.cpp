#include "chat/TokenEstimator.hpp"

namespace agent::bitrouter {

std::int64_t estimateTokens(std::size_t characters) noexcept {
  return static_cast<std::int64_t>((characters + kCharsPerToken - 1) / kCharsPerToken);
}

std::size_t promptCharacters(const GenerateTextParams& params) noexcept {
  std::size_t total = params.system ? params.system->size() : 0;
  if (params.messages.empty()) return total + params.prompt.size();
  for (const ChatMessage& message : params.messages)
    total += message.content.size();
  return total;
}

TokenUsage estimateUsage(const GenerateTextParams& params, std::size_t completionCharacters) {
  TokenUsage usage;
  usage.promptTokens = estimateTokens(promptCharacters(params));
  usage.completionTokens = estimateTokens(completionCharacters);
  usage.totalTokens = usage.promptTokens + usage.completionTokens;
  usage.estimated = true;
  return usage;
}

}  // namespace agent::bitrouter
