// LayoutFingerprint: a hash of the memory layout of every type that crosses the plugin boundary.
//
// Computed at compile time on both sides from the headers each side was built with: for each data
// type its size, alignment and number of members (counted, for aggregates), and for each member
// its offset, size and a code for its type (integer or floating point, signedness, what an
// optional, vector or duration holds, ...); for each enumeration the number of its named
// enumerators (counted); and the sizes of the standard library types involved. A plugin built
// against a copy of the headers in which a field was added (in the tail padding too), removed or
// retyped (optional<double> to optional<int64_t> too), or an enumerator appended, gets another
// fingerprint, and the host skips it before reading anything else ("built against other
// plugin-api headers"). Every input is a number GCC and Clang agree on, so a plugin built with
// either loads in a host built with the other. The order of the interfaces' virtual functions
// cannot be read at compile time; see detail::interfaceShape() in PluginEntry.hpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "agent/ChildProcess.hpp"
#include "agent/EventObserver.hpp"
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

/// A 64-bit word hash (FNV-style multiply, then a shift to mix the high bits down), usable in
/// constant expressions. One step per word: Clang limits the steps of a constant evaluation.
class LayoutHash {
 public:
  constexpr LayoutHash& add(std::uint64_t value) {
    hash_ = (hash_ ^ value) * 0x100000001b3ull;
    hash_ ^= hash_ >> 29;
    return *this;
  }

  template <class T>
  constexpr LayoutHash& type();

  constexpr std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

/// Converts to any member type: counts an aggregate's members by how many initializers it takes.
struct AnyMember {
  template <class T>
  operator T&() const&& noexcept;  // declared only: used in unevaluated checks
};

template <class T, std::size_t... I>
constexpr bool takesInitializers(std::index_sequence<I...>) {
  return requires {
    T{(static_cast<void>(I), AnyMember{})...};
  };
}

/// The number of members of the aggregate T (bases count as one each).
template <class T, std::size_t N = 0>
constexpr std::size_t memberCount() {
  if constexpr (N > 64) {
    return N;
  } else if constexpr (takesInitializers<T>(std::make_index_sequence<N + 1>())) {
    return memberCount<T, N + 1>();
  } else {
    return N;
  }
}

/// True when the value V of an enumeration has a name. Both compilers spell a named value as its
/// qualified name and an unnamed one as a number or a cast, "(E)7": only the first character
/// after "V = " is read, which both agree on.
template <auto V>
constexpr bool isNamedEnumerator() {
#if defined(__GNUC__) || defined(__clang__)
  const std::string_view signature = __PRETTY_FUNCTION__;
  const std::size_t at = signature.rfind("V = ");
  if (at == std::string_view::npos || at + 4 >= signature.size()) return false;
  const char first = signature[at + 4];
  return (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_';
#else
#error "count enumerators for this compiler"
#endif
}

template <class E, std::size_t... I>
constexpr std::size_t namedEnumerators(std::index_sequence<I...>) {
  return (std::size_t{0} + ... + (isNamedEnumerator<static_cast<E>(I)>() ? 1u : 0u));
}

/// The number of named enumerators of E with values 0 to 127 (those of the plugin API's
/// enumerations, which count from 0), so an enumerator appended after the last one is seen.
/// Counted once per type (a variable), not in every evaluation that asks.
template <class E>
inline constexpr std::size_t kEnumeratorCount =
    namedEnumerators<E>(std::make_index_sequence<128>());

template <class E>
constexpr std::size_t enumeratorCount() {
  return kEnumeratorCount<E>;
}

template <class T>
inline constexpr std::size_t kMemberCount = memberCount<T>();

template <class T>
struct TypeCode;

/// A code for a member's type: what kind of value it is, not how a compiler names it. Computed
/// once per type.
template <class T>
inline constexpr std::uint64_t kTypeCode = TypeCode<T>::value();

template <class T>
struct TypeCode {
  static constexpr std::uint64_t value() {
    if constexpr (std::is_same_v<T, bool>) {
      return 1;
    } else if constexpr (std::is_integral_v<T>) {
      return 2 + (std::is_signed_v<T> ? 16 : 0) + 256 * sizeof(T);
    } else if constexpr (std::is_floating_point_v<T>) {
      return 3 + 256 * sizeof(T);
    } else if constexpr (std::is_enum_v<T>) {
      return LayoutHash().add(4).add(sizeof(T)).add(enumeratorCount<T>()).value();
    } else if constexpr (std::is_pointer_v<T>) {
      return LayoutHash().add(5).add(kTypeCode<std::remove_cv_t<std::remove_pointer_t<T>>>).value();
    } else if constexpr (std::is_aggregate_v<T>) {
      return LayoutHash().add(6).add(sizeof(T)).add(alignof(T)).add(kMemberCount<T>).value();
    } else {
      return LayoutHash().add(7).add(sizeof(T)).add(alignof(T)).value();
    }
  }
};

template <class... T>
constexpr std::uint64_t typeCodes(std::uint64_t kind) {
  LayoutHash hash;
  hash.add(kind);
  (hash.add(kTypeCode<T>), ...);
  return hash.value();
}

template <>
struct TypeCode<std::string> {
  static constexpr std::uint64_t value() { return 20; }
};
template <>
struct TypeCode<std::string_view> {
  static constexpr std::uint64_t value() { return 21; }
};
template <class T>
struct TypeCode<std::optional<T>> {
  static constexpr std::uint64_t value() { return typeCodes<T>(22); }
};
template <class T>
struct TypeCode<std::vector<T>> {
  static constexpr std::uint64_t value() { return typeCodes<T>(23); }
};
template <class A, class B>
struct TypeCode<std::pair<A, B>> {
  static constexpr std::uint64_t value() { return typeCodes<A, B>(24); }
};
template <class... T>
struct TypeCode<std::variant<T...>> {
  static constexpr std::uint64_t value() { return typeCodes<T...>(25); }
};
template <class T>
struct TypeCode<std::shared_ptr<T>> {
  static constexpr std::uint64_t value() { return typeCodes<T>(26); }
};
template <class T>
struct TypeCode<std::unique_ptr<T>> {
  static constexpr std::uint64_t value() { return typeCodes<T>(27); }
};
template <class R, class... A>
struct TypeCode<std::function<R(A...)>> {
  static constexpr std::uint64_t value() {
    return typeCodes<R, std::remove_cvref_t<A>...>(28 + 64 * (sizeof...(A) + 1));
  }
};
template <class Rep, class Period>
struct TypeCode<std::chrono::duration<Rep, Period>> {
  static constexpr std::uint64_t value() {
    return LayoutHash()
        .add(typeCodes<Rep>(29))
        .add(static_cast<std::uint64_t>(Period::num))
        .add(static_cast<std::uint64_t>(Period::den))
        .value();
  }
};
template <class Clock, class Duration>
struct TypeCode<std::chrono::time_point<Clock, Duration>> {
  static constexpr std::uint64_t value() {
    return LayoutHash()
        .add(typeCodes<Duration>(30))
        .add(std::is_same_v<Clock, std::chrono::steady_clock> ? 1 : 2)
        .value();
  }
};

template <class T>
constexpr LayoutHash& LayoutHash::type() {
  add(sizeof(T)).add(alignof(T));
  if constexpr (std::is_enum_v<T>) add(enumeratorCount<T>());
  if constexpr (std::is_aggregate_v<T>) add(kMemberCount<T>);
  return *this;
}

// offsetof on types holding std::string is conditionally supported; GCC and Clang support it for
// every type without virtual bases, which is all these are.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
#endif

#define AGENT_LAYOUT_FIELD(hash, Type, member) \
  (hash)                                       \
      .add(offsetof(Type, member))             \
      .add(sizeof(Type::member))               \
      .add(::agent::detail::kTypeCode<std::remove_cv_t<decltype(Type::member)>>)

constexpr std::uint64_t computeLayoutFingerprint() {
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

  h.type<RunStartedEvent>();
  AGENT_LAYOUT_FIELD(h, RunStartedEvent, agent);
  AGENT_LAYOUT_FIELD(h, RunStartedEvent, type);
  AGENT_LAYOUT_FIELD(h, RunStartedEvent, startTime);
  AGENT_LAYOUT_FIELD(h, RunStartedEvent, trace);

  h.type<RunEndedEvent>();
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, agent);
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, type);
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, startTime);
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, duration);
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, steps);
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, toolRuns);
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, provider);
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, error);
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, errorMessage);
  AGENT_LAYOUT_FIELD(h, RunEndedEvent, trace);

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

/// Computed once, in an evaluation of its own.
inline constexpr std::uint64_t kLayoutFingerprint = computeLayoutFingerprint();

constexpr std::uint64_t layoutFingerprint() {
  return kLayoutFingerprint;
}

#undef AGENT_LAYOUT_FIELD

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

}  // namespace agent::detail
