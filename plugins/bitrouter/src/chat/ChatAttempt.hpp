// ChatAttempt: one attempt of a chat call - a request on a pooled connection, and its answer.
//
// Builds the body into the connection's buffer, has the call's CallTransport send it, then reads
// a JSON reply or an SSE stream and turns whatever happened into a ModelOutput or a CallFailure.
// The wire work (connection, deadline, cancellation, the keep-alive race) is the transport's;
// whether to try again is the caller's decision (BitRouterClient).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/bitrouter/BitRouterConfig.hpp"
#include "agent/bitrouter/ModelTiers.hpp"
#include "chat/ChatResponseParser.hpp"
#include "chat/ToolArgumentCheck.hpp"
#include "config/Redactor.hpp"
#include "errors/CallFailure.hpp"
#include "schema/CompiledSchema.hpp"
#include "schema/SchemaCache.hpp"
#include "transport/CallTransport.hpp"

namespace agent::bitrouter {

/// Token counts when BitRouter sends no usage (always, on streams): about four characters per
/// token, the usual rule of thumb for English text with GPT-style tokenizers; MODEL_USED marks
/// such numbers as estimated.
inline constexpr std::size_t kCharsPerToken = 4;
std::int64_t estimateTokens(std::size_t characters) noexcept;
/// Estimated usage for a call whose reply has `completionCharacters` characters (the prompt's
/// characters are system + prompt, or the messages).
TokenUsage estimateUsage(const GenerateTextParams& params, std::size_t completionCharacters);

class ChatAttempt {
 public:
  using Outcome = std::variant<ModelOutput, CallFailure>;

  ChatAttempt(const BitRouterConfig& config, CallTransport& transport, const Redactor& redactor,
              SchemaCache& schemas, const ModelChoice& model, const GenerateTextParams& params,
              const CompiledSchema* schema, bool stream) noexcept
      : config_(config),
        transport_(transport),
        redactor_(redactor),
        model_(model),
        params_(params),
        schema_(schema),
        stream_(stream),
        toolCheck_(params.tools, schemas) {}

  [[nodiscard]] Outcome run();

 private:
  Outcome handleResponse(const ResponseHead& head);
  Outcome readStream();
  // Delivers a plain JSON reply to a streamed call's callbacks, as one piece each.
  std::optional<CallFailure> deliverWhole(const ChatCompletion& reply) const;
  // The reply, as an output or (refused, filtered or schema mismatch) a failure.
  Outcome succeed(ChatCompletion reply, std::size_t delivered);
  CallFailure fail(CallFailure failure, int httpStatus, std::string partialText = {}) const;

  const BitRouterConfig& config_;
  CallTransport& transport_;
  const Redactor& redactor_;
  const ModelChoice& model_;
  const GenerateTextParams& params_;
  const CompiledSchema* schema_;
  bool stream_;
  bool reusable_ = false;                         // the connection is clean for the next call
  std::chrono::steady_clock::time_point sent_{};  // when the request went out
  std::optional<std::chrono::milliseconds> timeToFirstChunk_;  // streamed calls
  ToolArgumentCheck toolCheck_;
};

}  // namespace agent::bitrouter
