// HistoryBudget: keeps a conversation under a token budget by forgetting its oldest turns.
//
// A turn is a user message and everything up to the next one (the answer, tool calls and their
// results), so a tool result is never kept without the call it answers. The newest turn is
// always kept, however long. Tokens are estimated at about four characters each, as the
// providers do when a server reports no usage.
#pragma once

#include <cstddef>
#include <vector>

#include "agent/GenerateTextParams.hpp"

namespace agent::host::cli {

/// The estimated tokens of the messages.
std::size_t estimateTokens(const std::vector<ChatMessage>& messages);

/// Drops the oldest turns of `history` (which holds no system message) until it fits in
/// `maxTokens`; 0 means no limit. Returns how many messages were dropped.
std::size_t trimToBudget(std::vector<ChatMessage>& history, std::size_t maxTokens);

}  // namespace agent::host::cli
