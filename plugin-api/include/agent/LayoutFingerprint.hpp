// LayoutFingerprint: a hash of the memory layout of every type that crosses the plugin boundary.
//
// Computed at compile time on both sides from the headers each side was built with: the size,
// alignment and member offsets of the data types, the enumerator counts, and the sizes of the
// standard library types they hold. A plugin built against a copy of the headers in which a field
// was added, removed or retyped gets another fingerprint, and the host skips it before reading
// anything else ("built against other plugin-api headers"). The order of the interfaces' virtual
// functions cannot be read at compile time; see detail::interfaceShape() in PluginEntry.hpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agent/GenerateTextParams.hpp"
#include "agent/HostServices.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/ToolCall.hpp"

namespace agent::detail {

/// FNV-1a over 64-bit words, usable in constant expressions.
class LayoutHash {
 public:
  constexpr LayoutHash& add(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) {
      hash_ ^= (value >> (8 * i)) & 0xffu;
      hash_ *= 0x100000001b3ull;
    }
    return *this;
  }

  template <class T>
  constexpr LayoutHash& type() {
    return add(sizeof(T)).add(alignof(T));
  }

  constexpr std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

// offsetof on types holding std::string is conditionally supported; GCC and Clang support it for
// every type without virtual bases, which is all these are.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
#endif

#define AGENT_LAYOUT_FIELD(hash, Type, member) \
  (hash).add(offsetof(Type, member)).add(sizeof(Type::member))

constexpr std::uint64_t layoutFingerprint() {
  LayoutHash h;
  // The standard library types the structs are made of.
  h.type<std::string>().type<std::vector<std::string>>().type<std::optional<std::string>>();
  h.type<std::optional<double>>().type<std::optional<std::int64_t>>().type<std::optional<bool>>();
  h.type<std::function<bool(std::string_view)>>().type<std::shared_ptr<CancellationToken>>();
  h.type<std::chrono::milliseconds>().type<std::chrono::steady_clock::time_point>();
  h.type<std::variant<ModelOutput, ModelError>>();

  // Enumerations: size and number of enumerators.
  h.type<ModelType>().add(kModelTypeNames.size());
  h.type<ErrorKind>().add(static_cast<std::uint64_t>(ErrorKind::Internal) + 1);
  h.type<LogLevel>().add(static_cast<std::uint64_t>(LogLevel::Error) + 1);
  h.type<ToolChoice::Mode>().add(static_cast<std::uint64_t>(ToolChoice::Mode::Named) + 1);

  h.type<ToolDefinition>();
  AGENT_LAYOUT_FIELD(h, ToolDefinition, name);
  AGENT_LAYOUT_FIELD(h, ToolDefinition, description);
  AGENT_LAYOUT_FIELD(h, ToolDefinition, parameters);
  AGENT_LAYOUT_FIELD(h, ToolDefinition, strict);

  h.type<ToolChoice>();
  AGENT_LAYOUT_FIELD(h, ToolChoice, mode);
  AGENT_LAYOUT_FIELD(h, ToolChoice, name);

  h.type<ToolCall>();
  AGENT_LAYOUT_FIELD(h, ToolCall, id);
  AGENT_LAYOUT_FIELD(h, ToolCall, name);
  AGENT_LAYOUT_FIELD(h, ToolCall, arguments);
  AGENT_LAYOUT_FIELD(h, ToolCall, problem);

  h.type<ChatMessage>();
  AGENT_LAYOUT_FIELD(h, ChatMessage, role);
  AGENT_LAYOUT_FIELD(h, ChatMessage, content);
  AGENT_LAYOUT_FIELD(h, ChatMessage, toolCalls);
  AGENT_LAYOUT_FIELD(h, ChatMessage, toolCallId);
  AGENT_LAYOUT_FIELD(h, ChatMessage, name);

  h.type<CancellationToken>();

  h.type<GenerateTextParams>();
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, prompt);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, system);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, messages);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, maxTokens);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, temperature);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, topP);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, topK);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, minP);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, repetitionPenalty);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, seed);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, frequencyPenalty);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, presencePenalty);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, stopSequences);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, responseSchema);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, user);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, tools);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, toolChoice);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, parallelToolCalls);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, model);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, deadline);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, cancellation);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, stream);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, onChunk);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, onReasoningChunk);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, onToolCall);

  h.type<TokenUsage>();
  AGENT_LAYOUT_FIELD(h, TokenUsage, promptTokens);
  AGENT_LAYOUT_FIELD(h, TokenUsage, completionTokens);
  AGENT_LAYOUT_FIELD(h, TokenUsage, totalTokens);
  AGENT_LAYOUT_FIELD(h, TokenUsage, estimated);

  h.type<ModelOutput>();
  AGENT_LAYOUT_FIELD(h, ModelOutput, text);
  AGENT_LAYOUT_FIELD(h, ModelOutput, usage);
  AGENT_LAYOUT_FIELD(h, ModelOutput, finishReason);
  AGENT_LAYOUT_FIELD(h, ModelOutput, model);
  AGENT_LAYOUT_FIELD(h, ModelOutput, toolCalls);
  AGENT_LAYOUT_FIELD(h, ModelOutput, reasoning);
  AGENT_LAYOUT_FIELD(h, ModelOutput, requestId);
  AGENT_LAYOUT_FIELD(h, ModelOutput, attempts);

  h.type<ModelError>();
  AGENT_LAYOUT_FIELD(h, ModelError, kind);
  AGENT_LAYOUT_FIELD(h, ModelError, message);
  AGENT_LAYOUT_FIELD(h, ModelError, httpStatus);
  AGENT_LAYOUT_FIELD(h, ModelError, retryable);
  AGENT_LAYOUT_FIELD(h, ModelError, retryAfter);
  AGENT_LAYOUT_FIELD(h, ModelError, requestId);
  AGENT_LAYOUT_FIELD(h, ModelError, partialText);

  h.type<ModelResult>();

  h.type<ModelUsedEvent>();
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, provider);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, type);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, model);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, tokens);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, duration);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, requestId);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, streamed);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, attempts);

  h.type<ModelProvider>().type<HostServices>();
  return h.value();
}

#undef AGENT_LAYOUT_FIELD

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

}  // namespace agent::detail
