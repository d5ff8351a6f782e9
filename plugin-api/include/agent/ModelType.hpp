// ModelType: the kinds of model call an agent makes, named exactly as elizaOS names them.
//
// The string forms are the wire/config names ("TEXT_SMALL", ...). Note the elizaOS trap kept on
// purpose: the enumerators TextReasoningSmall/Large print as "REASONING_SMALL"/"REASONING_LARGE".
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace agent {

enum class ModelType {
  TextNano,
  TextSmall,
  TextMedium,
  TextLarge,
  TextMega,
  ResponseHandler,
  ActionPlanner,
  TextCompletion,
  TextReasoningSmall,
  TextReasoningLarge,
  TextEmbedding,
  TextEmbeddingBatch,
  TextTokenizerEncode,
  TextTokenizerDecode,
  Image,
  ImageDescription,
  Transcription,
  TextToSpeech,
  Audio,
  Video,
  Research,
};

namespace detail {
struct ModelTypeName {
  ModelType type;
  std::string_view value;  // the elizaOS string value
  std::string_view alias;  // the elizaOS key when it differs from the value, else empty
};

inline constexpr std::array<ModelTypeName, 21> kModelTypeNames{{
    {ModelType::TextNano, "TEXT_NANO", "NANO"},
    {ModelType::TextSmall, "TEXT_SMALL", "SMALL"},
    {ModelType::TextMedium, "TEXT_MEDIUM", "MEDIUM"},
    {ModelType::TextLarge, "TEXT_LARGE", "LARGE"},
    {ModelType::TextMega, "TEXT_MEGA", "MEGA"},
    {ModelType::ResponseHandler, "RESPONSE_HANDLER", ""},
    {ModelType::ActionPlanner, "ACTION_PLANNER", ""},
    {ModelType::TextCompletion, "TEXT_COMPLETION", ""},
    {ModelType::TextReasoningSmall, "REASONING_SMALL", "TEXT_REASONING_SMALL"},
    {ModelType::TextReasoningLarge, "REASONING_LARGE", "TEXT_REASONING_LARGE"},
    {ModelType::TextEmbedding, "TEXT_EMBEDDING", ""},
    {ModelType::TextEmbeddingBatch, "TEXT_EMBEDDING_BATCH", ""},
    {ModelType::TextTokenizerEncode, "TEXT_TOKENIZER_ENCODE", ""},
    {ModelType::TextTokenizerDecode, "TEXT_TOKENIZER_DECODE", ""},
    {ModelType::Image, "IMAGE", ""},
    {ModelType::ImageDescription, "IMAGE_DESCRIPTION", ""},
    {ModelType::Transcription, "TRANSCRIPTION", ""},
    {ModelType::TextToSpeech, "TEXT_TO_SPEECH", ""},
    {ModelType::Audio, "AUDIO", ""},
    {ModelType::Video, "VIDEO", ""},
    {ModelType::Research, "RESEARCH", ""},
}};
}  // namespace detail

/// Every model type, in declaration order.
inline constexpr std::array<ModelType, detail::kModelTypeNames.size()> allModelTypes() {
  std::array<ModelType, detail::kModelTypeNames.size()> types{};
  for (std::size_t i = 0; i < types.size(); ++i)
    types[i] = detail::kModelTypeNames[i].type;
  return types;
}

/// The elizaOS string value of a model type ("TEXT_SMALL", "REASONING_SMALL", ...).
constexpr std::string_view toString(ModelType type) {
  for (const auto& entry : detail::kModelTypeNames) {
    if (entry.type == type) return entry.value;
  }
  return "UNKNOWN";
}

/// Parses an elizaOS value or key ("TEXT_SMALL", "SMALL", "TEXT_REASONING_SMALL"); exact case.
constexpr std::optional<ModelType> parseModelType(std::string_view text) {
  for (const auto& entry : detail::kModelTypeNames) {
    if (entry.value == text || (!entry.alias.empty() && entry.alias == text)) return entry.type;
  }
  return std::nullopt;
}

/// The text tiers elizaOS's LLM_MODE rewrites to TEXT_SMALL or TEXT_LARGE: every text tier plus
/// TEXT_COMPLETION, not the reasoning ones.
constexpr bool followsLlmMode(ModelType type) {
  switch (type) {
    case ModelType::TextNano:
    case ModelType::TextSmall:
    case ModelType::TextMedium:
    case ModelType::TextLarge:
    case ModelType::TextMega:
    case ModelType::ResponseHandler:
    case ModelType::ActionPlanner:
    case ModelType::TextCompletion:
      return true;
    default:
      return false;
  }
}

/// The text-generation types of elizaOS's TEXT_GENERATION_MODEL_KEYS (plus the reasoning tiers).
constexpr bool isTextGeneration(ModelType type) {
  return followsLlmMode(type) || type == ModelType::TextReasoningSmall ||
         type == ModelType::TextReasoningLarge;
}

}  // namespace agent
