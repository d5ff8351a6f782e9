#include "chat/HistoryBudget.hpp"

#include <algorithm>

namespace agent::host::cli {
namespace {

constexpr std::size_t kTokensPerMessage = 4;  // role and framing

std::size_t estimateTokens(const ChatMessage& message) {
  std::size_t characters = message.content.size();
  for (const ToolCall& call : message.toolCalls)
    characters += call.name.size() + call.arguments.size() + call.id.size();
  return kTokensPerMessage + (characters + 3) / 4;
}

}  // namespace

std::size_t estimateTokens(const std::vector<ChatMessage>& messages) {
  std::size_t total = 0;
  for (const ChatMessage& message : messages)
    total += estimateTokens(message);
  return total;
}

std::size_t trimToBudget(std::vector<ChatMessage>& history, std::size_t maxTokens) {
  if (maxTokens == 0) return 0;
  std::size_t dropped = 0;
  while (estimateTokens(history) > maxTokens) {
    // The end of the oldest turn: the next user message after the first one.
    const auto next = std::find_if(history.begin() + (history.empty() ? 0 : 1), history.end(),
                                   [](const ChatMessage& m) { return m.role == "user"; });
    if (next == history.end()) break;  // only the newest turn is left
    dropped += static_cast<std::size_t>(next - history.begin());
    history.erase(history.begin(), next);
  }
  return dropped;
}

}  // namespace agent::host::cli
