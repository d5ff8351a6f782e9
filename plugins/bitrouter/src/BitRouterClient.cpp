#include "agent/bitrouter/BitRouterClient.hpp"

#include <exception>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <variant>

#include "chat/ChatAttempt.hpp"
#include "chat/ChatRequestBuilder.hpp"
#include "chat/ErrorEnvelopeParser.hpp"
#include "chat/RetryPolicy.hpp"
#include "config/Redactor.hpp"
#include "errors/CallFailure.hpp"
#include "schema/SchemaCache.hpp"
#include "transport/CallTransport.hpp"
#include "transport/ConnectionPool.hpp"
#include "transport/DeadlineWatchdog.hpp"
#include "transport/RequestHead.hpp"

namespace agent::bitrouter {

struct BitRouterClient::Parts {
  Parts(BitRouterConfig configIn, ClientOptions optionsIn)
      : config(std::move(configIn)),
        options(std::move(optionsIn)),
        redactor(config.apiKey),
        retryPolicy(config.maxRetries, config.retryBaseDelay, config.retryMaxDelay),
        heads(config),
        pool(config.baseUrl, options.pool) {}
  ~Parts() {
    // Before anything the probe uses goes.
    probeCancel->cancel();
    if (probeThread.joinable()) probeThread.join();
  }

  ModelResult run(const ModelChoice& model, const GenerateTextParams& params);
  ModelsProbe listModels(std::chrono::milliseconds timeout,
                         std::shared_ptr<CancellationToken> cancellation);
  // The same, with every exception turned into the probe's problem.
  ModelsProbe listModelsSafely(std::chrono::milliseconds timeout,
                               std::shared_ptr<CancellationToken> cancellation) noexcept;
  void log(LogLevel level, std::string_view message) const {
    if (options.log) options.log(level, redactor.apply(message));
  }

  BitRouterConfig config;
  ClientOptions options;
  Redactor redactor;
  RetryPolicy retryPolicy;
  RequestHead heads;
  ConnectionPool pool;
  SchemaCache schemas;
  DeadlineWatchdog watchdog;  // this client's own; its thread ends with the client
  std::shared_ptr<CancellationToken> probeCancel = std::make_shared<CancellationToken>();
  std::thread probeThread;  // listModelsInBackground's
};

BitRouterClient::BitRouterClient(BitRouterConfig config, ClientOptions options)
    : parts_(std::make_unique<Parts>(std::move(config), std::move(options))) {}

BitRouterClient::~BitRouterClient() = default;

const BitRouterConfig& BitRouterClient::config() const noexcept {
  return parts_->config;
}

std::size_t BitRouterClient::idleConnections() const {
  return parts_->pool.idleCount();
}

ModelResult BitRouterClient::chat(std::string_view model,
                                  const GenerateTextParams& params) noexcept {
  try {
    const ModelChoice choice{std::string(model), "the caller", ""};
    return chat(choice, params);
  } catch (...) {
    return makeError(ErrorKind::Internal, "out of memory in the BitRouter plugin");
  }
}

ModelResult BitRouterClient::chat(const ModelChoice& model,
                                  const GenerateTextParams& params) noexcept {
  try {
    return parts_->run(model, params);
  } catch (const std::exception& error) {
    return makeError(ErrorKind::Internal, "unexpected error in the BitRouter plugin: " +
                                              parts_->redactor.apply(error.what()));
  } catch (...) {
    return makeError(ErrorKind::Internal,
                     "unexpected non-standard exception in the BitRouter plugin");
  }
}

ModelResult BitRouterClient::Parts::run(const ModelChoice& model,
                                        const GenerateTextParams& params) {
  CallTransport transport(config, heads, pool, watchdog, Deadline(config.timeout, params.deadline),
                          params.cancellation, options.log);
  if (std::optional<CallFailure> stop = transport.stopped()) {
    return std::move(*stop).finish(model.model, 1);  // cancelled (or out of time) before it began
  }
  if (auto problem = ChatRequestBuilder::validate(params)) {
    return CallFailure::make(ErrorKind::BadRequest, *problem, "no request was sent")
        .finish(model.model, 1);
  }
  std::shared_ptr<const CompiledSchema> schema;
  if (params.responseSchema) {
    auto compiled = schemas.get(*params.responseSchema, config.structuredOutputs);
    if (!compiled) {
      return CallFailure{std::move(compiled.error()), "no request was sent", false}.finish(
          model.model, 1);
    }
    schema = compiled.value();
  }
  const bool stream = params.stream && static_cast<bool>(params.onChunk);

  for (int attempt = 1;; ++attempt) {
    ChatAttempt current(config, transport, redactor, schemas, model, params, schema.get(), stream);
    ChatAttempt::Outcome outcome = current.run();
    if (auto* output = std::get_if<ModelOutput>(&outcome)) {
      output->attempts = attempt;
      return std::move(*output);
    }

    CallFailure& failure = std::get<CallFailure>(outcome);
    redactor.applyInPlace(failure.error.message);
    // A call out of time or cancelled is over: no retry, and no "not retried" hint either.
    if (transport.stopped()) return std::move(failure).finish(model.model, attempt);
    const bool retry = RetryPolicy::mayRetry(failure);
    const RetryPolicy::Plan plan = retryPolicy.plan(attempt, retry, failure.error.retryAfter,
                                                    transport.deadline().remaining());
    if (!plan.retry) {
      if (plan.stoppedByDeadline) {
        failure.hint += std::string(failure.hint.empty() ? "" : "; ") +
                        (transport.deadline().fromCaller()
                             ? "not retried: the wait would pass the call's deadline"
                             : "not retried: the wait would pass BITROUTER_TIMEOUT_MS");
      }
      return std::move(failure).finish(model.model, attempt);
    }
    log(LogLevel::Warn, failure.error.message + " for model '" + model.model + "' (attempt " +
                            std::to_string(attempt) + " of " +
                            std::to_string(retryPolicy.maxRetries() + 1) + "); retrying in " +
                            std::to_string(plan.wait.count()) + " ms");
    if (options.sleep) {
      options.sleep(plan.wait);
    } else if (!transport.pause(plan.wait)) {
      return transport.stopFailure().finish(model.model, attempt);
    }
  }
}

ModelsProbe BitRouterClient::listModels(std::chrono::milliseconds timeout) noexcept {
  return parts_->listModelsSafely(timeout, nullptr);
}

ModelsProbe BitRouterClient::Parts::listModelsSafely(
    std::chrono::milliseconds timeout, std::shared_ptr<CancellationToken> cancellation) noexcept {
  try {
    return listModels(timeout, std::move(cancellation));
  } catch (const std::exception& error) {
    ModelsProbe probe;
    probe.problem = "GET /v1/models failed: " + redactor.apply(error.what());
    return probe;
  } catch (...) {
    ModelsProbe probe;
    probe.problem = "GET /v1/models failed";
    return probe;
  }
}

void BitRouterClient::listModelsInBackground(std::chrono::milliseconds timeout,
                                             std::function<void(const ModelsProbe&)> done) {
  Parts& parts = *parts_;
  if (parts.probeThread.joinable()) return;
  try {
    parts.probeThread = std::thread([&parts, timeout, done = std::move(done)] {
      const ModelsProbe probe = parts.listModelsSafely(timeout, parts.probeCancel);
      if (parts.probeCancel->cancelled() || !done) return;
      try {
        done(probe);
      } catch (...) {
        // A report that failed is only a missing log line.
      }
    });
  } catch (const std::system_error&) {
    // No thread to be had: the probe only informs, so it is skipped.
  }
}

ModelsProbe BitRouterClient::Parts::listModels(std::chrono::milliseconds timeout,
                                               std::shared_ptr<CancellationToken> cancellation) {
  ModelsProbe probe;
  CallTransport transport(config, heads, pool, watchdog, Deadline::probe(timeout),
                          std::move(cancellation), options.log);
  Expected<ResponseHead, CallFailure> head =
      transport.send({CallTransport::Method::ListModels, false, {}});
  if (!head) {
    probe.problem = redactor.apply(head.error().error.message);
    if (!head.error().hint.empty()) probe.problem += ": " + head.error().hint;
    return probe;
  }
  probe.reachable = true;
  probe.status = head.value().status;
  std::string& body = transport.buffers().response;
  Expected<BodyRead, CallFailure> read = transport.readBody(body, config.maxResponseBytes);
  if (!head.value().success()) {
    probe.problem = "GET /v1/models answered " + std::to_string(probe.status);
    const ErrorEnvelope envelope = ErrorEnvelopeParser::parse(body, redactor);
    if (!envelope.message.empty()) probe.problem += " (" + envelope.message + ")";
  } else if (!read || read.value().tooLarge || read.value().cutShort()) {
    probe.problem = read && read.value().tooLarge ? tooLargeMessage(config.maxResponseBytes)
                                                  : "GET /v1/models could not be read completely";
  } else {
    probe.parseBody(body);
  }
  // The body is the connection's buffer: given back only once it is no longer needed.
  transport.release(read && read.value().reusable);
  return probe;
}

}  // namespace agent::bitrouter
