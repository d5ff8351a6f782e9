// ChatAttempt: one attempt of a chat call - a request on a pooled connection, and its answer.
//
// Builds the body into the connection's buffer, sends it, then reads a JSON reply or an SSE
// stream and turns whatever happened into a ModelOutput or a CallFailure. A kept-alive
// connection that fails while the request is still being sent is closed and the request sent
// once more on a fresh one (Poco's keep-alive race, not a retry); once the request is written it
// is never sent again here, because BitRouter may already be running (and billing) it.
// Whether to try again is the caller's decision (BitRouterClient).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "agent/GenerateTextParams.hpp"
#include "agent/HostServices.hpp"
#include "agent/ModelResult.hpp"
#include "agent/bitrouter/BitRouterConfig.hpp"
#include "chat/CallFailure.hpp"
#include "chat/ChatResponseParser.hpp"
#include "chat/ToolArgumentCheck.hpp"
#include "config/ModelTiers.hpp"
#include "config/Redactor.hpp"
#include "schema/CompiledSchema.hpp"
#include "schema/SchemaCache.hpp"
#include "transport/BodyReader.hpp"
#include "transport/Deadline.hpp"
#include "transport/DeadlineWatchdog.hpp"
#include "transport/HttpExchange.hpp"
#include "transport/HttpSessionPool.hpp"

namespace agent::bitrouter {

class ChatAttempt {
 public:
  using Outcome = std::variant<ModelOutput, CallFailure>;
  using Log = std::function<void(LogLevel, std::string_view)>;

  /// What every attempt of a client shares.
  struct Context {
    const BitRouterConfig& config;
    HttpSessionPool& pool;
    DeadlineWatchdog& watchdog;
    const Redactor& redactor;
    const Log& log;
    SchemaCache& schemas;  // also compiles tools' parameters schemas
  };

  ChatAttempt(const Context& context, const ModelChoice& model, const GenerateTextParams& params,
              const CompiledSchema* schema, bool stream, const Deadline& deadline) noexcept
      : context_(context),
        config_(context.config),
        model_(model),
        params_(params),
        schema_(schema),
        stream_(stream),
        deadline_(deadline),
        toolCheck_(params.tools, context.schemas) {}

  Outcome run();

 private:
  Outcome handleResponse(HttpSessionPool::Lease& lease, Exchange& exchange);
  Outcome readStream(HttpSessionPool::Lease& lease, BodyReader& reader);
  // Delivers a plain JSON reply to a streamed call's callbacks, as one piece each.
  std::optional<CallFailure> deliverWhole(const ChatCompletion& reply) const;
  // The reply, as an output or (refused, filtered or schema mismatch) a failure.
  Outcome succeed(ChatCompletion reply, std::size_t delivered);
  CallFailure fail(CallFailure failure, int httpStatus, std::string partialText = {}) const;

  const Context& context_;
  const BitRouterConfig& config_;
  const ModelChoice& model_;
  const GenerateTextParams& params_;
  const CompiledSchema* schema_;
  bool stream_;
  const Deadline& deadline_;
  ToolArgumentCheck toolCheck_;
  std::string requestId_;
};

}  // namespace agent::bitrouter
