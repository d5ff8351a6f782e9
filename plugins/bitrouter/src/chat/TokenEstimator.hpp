// TokenEstimator: token counts when BitRouter sends no usage (always, on streams).
//
// About four characters per token, the usual rule of thumb for English text with GPT-style
// tokenizers; MODEL_USED marks such numbers as estimated.
#pragma once

#include <cstddef>
#include <cstdint>

#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"

namespace agent::bitrouter {

inline constexpr std::size_t kCharsPerToken = 4;

std::int64_t estimateTokens(std::size_t characters) noexcept;

/// The characters the request carries as text: system + prompt, or the messages.
std::size_t promptCharacters(const GenerateTextParams& params) noexcept;

/// Estimated usage for a call whose reply has `completionCharacters` characters.
TokenUsage estimateUsage(const GenerateTextParams& params, std::size_t completionCharacters);

}  // namespace agent::bitrouter
