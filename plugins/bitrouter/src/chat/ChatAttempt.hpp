// ChatAttempt: one attempt of a chat call - a request on a pooled connection, and its answer.
//
// Builds the body into the connection's buffer, has the call's CallTransport send it, then reads
// a JSON reply or an SSE stream and turns whatever happened into a ModelOutput or a CallFailure.
// The wire work (connection, deadline, cancellation, the keep-alive race) is the transport's;
// whether to try again is the caller's decision (BitRouterClient).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/bitrouter/BitRouterConfig.hpp"
#include "chat/CallFailure.hpp"
#include "agent/bitrouter/ModelTiers.hpp"
#include "config/Redactor.hpp"
#include "schema/CompiledSchema.hpp"
#include "transport/CallTransport.hpp"

namespace agent::bitrouter {

class ChatAttempt {
 public:
  using Outcome = std::variant<ModelOutput, CallFailure>;

  ChatAttempt(const BitRouterConfig& config, CallTransport& transport, const Redactor& redactor,
              const ModelChoice& model, const GenerateTextParams& params,
              const CompiledSchema* schema, bool stream) noexcept
      : config_(config),
        transport_(transport),
        redactor_(redactor),
        model_(model),
        params_(params),
        schema_(schema),
        stream_(stream) {}

  [[nodiscard]] Outcome run();

 private:
  Outcome handleResponse(const ResponseHead& head);
  Outcome readStream();
  Outcome succeed(std::string text, const std::string& finishReason,
                  const std::optional<TokenUsage>& usage, std::size_t delivered);
  CallFailure fail(CallFailure failure, int httpStatus, std::string partialText = {}) const;

  const BitRouterConfig& config_;
  CallTransport& transport_;
  const Redactor& redactor_;
  const ModelChoice& model_;
  const GenerateTextParams& params_;
  const CompiledSchema* schema_;
  bool stream_;
  bool reusable_ = false;  // the connection is clean for the next call
};

}  // namespace agent::bitrouter
