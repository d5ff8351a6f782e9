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

#include "agent/ChildProcess.hpp"
#include "agent/Events.hpp"
#include "agent/GenerateTextParams.hpp"
#include "agent/HostServices.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/ToolCall.hpp"
#include "agent/ToolProvider.hpp"
#include "agent/TraceContext.hpp"

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

  h.type<std::optional<ToolChoice>>();
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
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, trace);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, stream);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, onChunk);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, onReasoningChunk);
  AGENT_LAYOUT_FIELD(h, GenerateTextParams, onToolCall);

  h.type<TokenUsage>();
  AGENT_LAYOUT_FIELD(h, TokenUsage, promptTokens);
  AGENT_LAYOUT_FIELD(h, TokenUsage, completionTokens);
  AGENT_LAYOUT_FIELD(h, TokenUsage, totalTokens);
  AGENT_LAYOUT_FIELD(h, TokenUsage, estimated);
  AGENT_LAYOUT_FIELD(h, TokenUsage, cacheReadInputTokens);
  AGENT_LAYOUT_FIELD(h, TokenUsage, cacheCreationInputTokens);
  AGENT_LAYOUT_FIELD(h, TokenUsage, reasoningTokens);

  h.type<ModelOutput>();
  AGENT_LAYOUT_FIELD(h, ModelOutput, text);
  AGENT_LAYOUT_FIELD(h, ModelOutput, usage);
  AGENT_LAYOUT_FIELD(h, ModelOutput, finishReason);
  AGENT_LAYOUT_FIELD(h, ModelOutput, model);
  AGENT_LAYOUT_FIELD(h, ModelOutput, toolCalls);
  AGENT_LAYOUT_FIELD(h, ModelOutput, reasoning);
  AGENT_LAYOUT_FIELD(h, ModelOutput, requestId);
  AGENT_LAYOUT_FIELD(h, ModelOutput, attempts);
  AGENT_LAYOUT_FIELD(h, ModelOutput, responseId);
  AGENT_LAYOUT_FIELD(h, ModelOutput, responseModel);
  AGENT_LAYOUT_FIELD(h, ModelOutput, timeToFirstChunk);

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
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, prompt);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, responseId);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, responseModel);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, finishReason);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, timeToFirstChunk);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, startTime);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, request);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, trace);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, serverAddress);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, serverPort);
  AGENT_LAYOUT_FIELD(h, ModelUsedEvent, failedAttempts);

  h.type<TraceContext>();
  AGENT_LAYOUT_FIELD(h, TraceContext, traceId);
  AGENT_LAYOUT_FIELD(h, TraceContext, spanId);
  AGENT_LAYOUT_FIELD(h, TraceContext, parentSpanId);
  AGENT_LAYOUT_FIELD(h, TraceContext, sampled);

  h.type<ModelMetadata>();
  AGENT_LAYOUT_FIELD(h, ModelMetadata, contextWindowTokens);
  AGENT_LAYOUT_FIELD(h, ModelMetadata, displayModel);
  AGENT_LAYOUT_FIELD(h, ModelMetadata, local);
  AGENT_LAYOUT_FIELD(h, ModelMetadata, streamable);
  AGENT_LAYOUT_FIELD(h, ModelMetadata, serverAddress);
  AGENT_LAYOUT_FIELD(h, ModelMetadata, serverPort);

  h.type<ModelRegisteredEvent>();
  AGENT_LAYOUT_FIELD(h, ModelRegisteredEvent, type);
  AGENT_LAYOUT_FIELD(h, ModelRegisteredEvent, provider);
  AGENT_LAYOUT_FIELD(h, ModelRegisteredEvent, priority);
  AGENT_LAYOUT_FIELD(h, ModelRegisteredEvent, metadata);

  h.type<RequestedSampling>();
  AGENT_LAYOUT_FIELD(h, RequestedSampling, maxTokens);
  AGENT_LAYOUT_FIELD(h, RequestedSampling, temperature);
  AGENT_LAYOUT_FIELD(h, RequestedSampling, topP);
  AGENT_LAYOUT_FIELD(h, RequestedSampling, topK);
  AGENT_LAYOUT_FIELD(h, RequestedSampling, frequencyPenalty);
  AGENT_LAYOUT_FIELD(h, RequestedSampling, presencePenalty);
  AGENT_LAYOUT_FIELD(h, RequestedSampling, seed);
  AGENT_LAYOUT_FIELD(h, RequestedSampling, stopSequences);

  h.type<ProviderAttempt>();
  AGENT_LAYOUT_FIELD(h, ProviderAttempt, provider);
  AGENT_LAYOUT_FIELD(h, ProviderAttempt, type);
  AGENT_LAYOUT_FIELD(h, ProviderAttempt, kind);
  AGENT_LAYOUT_FIELD(h, ProviderAttempt, httpStatus);
  AGENT_LAYOUT_FIELD(h, ProviderAttempt, message);
  AGENT_LAYOUT_FIELD(h, ProviderAttempt, duration);

  h.type<ModelFailedEvent>();
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, provider);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, type);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, model);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, kind);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, message);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, httpStatus);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, requestId);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, duration);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, startTime);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, streamed);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, request);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, trace);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, serverAddress);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, serverPort);
  AGENT_LAYOUT_FIELD(h, ModelFailedEvent, attempts);

  h.type<ToolStartedEvent>();
  AGENT_LAYOUT_FIELD(h, ToolStartedEvent, tool);
  AGENT_LAYOUT_FIELD(h, ToolStartedEvent, callId);
  AGENT_LAYOUT_FIELD(h, ToolStartedEvent, source);
  AGENT_LAYOUT_FIELD(h, ToolStartedEvent, startTime);
  AGENT_LAYOUT_FIELD(h, ToolStartedEvent, trace);

  h.type<ToolEndedEvent>();
  AGENT_LAYOUT_FIELD(h, ToolEndedEvent, tool);
  AGENT_LAYOUT_FIELD(h, ToolEndedEvent, callId);
  AGENT_LAYOUT_FIELD(h, ToolEndedEvent, source);
  AGENT_LAYOUT_FIELD(h, ToolEndedEvent, startTime);
  AGENT_LAYOUT_FIELD(h, ToolEndedEvent, duration);
  AGENT_LAYOUT_FIELD(h, ToolEndedEvent, failed);
  AGENT_LAYOUT_FIELD(h, ToolEndedEvent, error);
  AGENT_LAYOUT_FIELD(h, ToolEndedEvent, trace);

  h.type<ProvidedTool>();
  AGENT_LAYOUT_FIELD(h, ProvidedTool, definition);
  AGENT_LAYOUT_FIELD(h, ProvidedTool, source);
  AGENT_LAYOUT_FIELD(h, ProvidedTool, originalName);
  AGENT_LAYOUT_FIELD(h, ProvidedTool, readOnly);

  h.type<ToolSourceStatus>();
  AGENT_LAYOUT_FIELD(h, ToolSourceStatus, name);
  AGENT_LAYOUT_FIELD(h, ToolSourceStatus, state);
  AGENT_LAYOUT_FIELD(h, ToolSourceStatus, detail);
  AGENT_LAYOUT_FIELD(h, ToolSourceStatus, problem);
  AGENT_LAYOUT_FIELD(h, ToolSourceStatus, toolCount);

  h.type<ToolCallContext>();
  AGENT_LAYOUT_FIELD(h, ToolCallContext, deadline);
  AGENT_LAYOUT_FIELD(h, ToolCallContext, cancellation);
  AGENT_LAYOUT_FIELD(h, ToolCallContext, trace);

  h.type<ToolResult>();
  AGENT_LAYOUT_FIELD(h, ToolResult, isError);
  AGENT_LAYOUT_FIELD(h, ToolResult, text);
  AGENT_LAYOUT_FIELD(h, ToolResult, raw);

  h.type<ProcessSpec>();
  AGENT_LAYOUT_FIELD(h, ProcessSpec, argv);
  AGENT_LAYOUT_FIELD(h, ProcessSpec, environment);
  AGENT_LAYOUT_FIELD(h, ProcessSpec, workingDirectory);
  AGENT_LAYOUT_FIELD(h, ProcessSpec, stderrTailBytes);

  h.type<ProcessExit>();
  AGENT_LAYOUT_FIELD(h, ProcessExit, exited);
  AGENT_LAYOUT_FIELD(h, ProcessExit, exitCode);
  AGENT_LAYOUT_FIELD(h, ProcessExit, termSignal);

  h.type<Expected<std::unique_ptr<ChildProcess>, std::string>>();

  h.type<ModelProvider>().type<ToolProvider>().type<EventObserver>().type<HostServices>();
  h.type<ChildProcess>();
  return h.value();
}

#undef AGENT_LAYOUT_FIELD

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

}  // namespace agent::detail
