#include "agent/bitrouter/BitRouterClient.hpp"

#include <exception>
#include <thread>
#include <utility>
#include <variant>

#include <Poco/Net/HTTPRequest.h>

#include "chat/CallFailure.hpp"
#include "chat/ChatAttempt.hpp"
#include "chat/ChatRequestBuilder.hpp"
#include "chat/ErrorEnvelopeParser.hpp"
#include "transport/BodyReader.hpp"
#include "transport/Deadline.hpp"
#include "transport/HttpExchange.hpp"
#include "transport/RequestHeaders.hpp"
#include "transport/RequestId.hpp"

namespace agent::bitrouter {

BitRouterClient::BitRouterClient(BitRouterConfig config, ClientOptions options)
    : config_(std::move(config)),
      options_(std::move(options)),
      redactor_(config_.apiKey),
      retryPolicy_(config_.maxRetries, config_.retryBaseDelay, config_.retryMaxDelay),
      pool_(config_.baseUrl, options_.pool) {}

BitRouterClient::~BitRouterClient() = default;

void BitRouterClient::log(LogLevel level, std::string_view message) const {
  if (options_.log) options_.log(level, redactor_.apply(message));
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
    return run(model, params);
  } catch (const std::exception& error) {
    return makeError(ErrorKind::Internal,
                     "unexpected error in the BitRouter plugin: " + redactor_.apply(error.what()));
  } catch (...) {
    return makeError(ErrorKind::Internal,
                     "unexpected non-standard exception in the BitRouter plugin");
  }
}

ModelResult BitRouterClient::run(const ModelChoice& model, const GenerateTextParams& params) {
  const Deadline deadline(config_.timeout);
  if (auto problem = ChatRequestBuilder::validate(params)) {
    return CallFailure::make(ErrorKind::BadRequest, *problem, "no request was sent")
        .finish(model.model, 1);
  }
  std::shared_ptr<const CompiledSchema> schema;
  if (params.responseSchema) {
    auto compiled = schemas_.get(*params.responseSchema, config_.structuredOutputs);
    if (!compiled) {
      return CallFailure{std::move(compiled.error()), "no request was sent", false}.finish(
          model.model, 1);
    }
    schema = compiled.value();
  }
  const bool stream = params.stream && static_cast<bool>(params.onChunk);

  const ChatAttempt::Context context{config_, pool_, watchdog_, redactor_, options_.log};
  for (int attempt = 1;; ++attempt) {
    ChatAttempt current(context, model, params, schema.get(), stream, deadline);
    ChatAttempt::Outcome outcome = current.run();
    if (auto* output = std::get_if<ModelOutput>(&outcome)) return std::move(*output);

    CallFailure& failure = std::get<CallFailure>(outcome);
    redactor_.applyInPlace(failure.error.message);
    const RetryPolicy::Plan plan =
        retryPolicy_.plan(attempt, failure.retry, failure.error.retryAfter, deadline.remaining());
    if (!plan.retry) {
      if (plan.stoppedByDeadline) {
        failure.hint += std::string(failure.hint.empty() ? "" : "; ") +
                        "not retried: the wait would pass BITROUTER_TIMEOUT_MS";
      }
      return std::move(failure).finish(model.model, attempt);
    }
    log(LogLevel::Warn, failure.error.message + " for model '" + model.model + "' (attempt " +
                            std::to_string(attempt) + " of " +
                            std::to_string(retryPolicy_.maxRetries() + 1) + "); retrying in " +
                            std::to_string(plan.wait.count()) + " ms");
    if (options_.sleep) {
      options_.sleep(plan.wait);
    } else {
      std::this_thread::sleep_for(plan.wait);
    }
  }
}

ModelsProbe BitRouterClient::listModels(std::chrono::milliseconds timeout) noexcept {
  ModelsProbe probe;
  try {
    const Deadline deadline(timeout);
    HttpSessionPool::Lease lease = pool_.acquire();
    Poco::Net::HTTPRequest request = RequestHeaders::models(config_, newRequestId());
    Exchange result;
    exchange(config_, lease, request, {}, deadline, watchdog_, result);
    if (result.failure) {
      lease.discard();
      probe.problem = redactor_.apply(result.failure->error.message);
      if (!result.failure->hint.empty()) probe.problem += ": " + result.failure->hint;
      return probe;
    }
    probe.reachable = true;
    probe.status = static_cast<int>(result.response.getStatus());
    BodyReader reader(lease.session(), lease.timeouts(), *result.body, &result.watch);
    CallBuffers& buffers = lease.buffers();
    BodyOutcome read = readBody(config_, reader, result.response, buffers.response,
                                config_.maxResponseBytes, buffers.read, deadline);
    result.watch.disarm();
    if (!read.reusable || result.watch.fired()) lease.discard();
    if (probe.status < 200 || probe.status >= 300) {
      probe.problem = "GET /v1/models answered " + std::to_string(probe.status);
      const ErrorEnvelope envelope = ErrorEnvelopeParser::parse(buffers.response, redactor_);
      if (!envelope.message.empty()) probe.problem += " (" + envelope.message + ")";
      return probe;
    }
    if (!read.complete) {
      probe.problem = read.tooLarge ? tooLargeMessage(config_.maxResponseBytes)
                                    : "GET /v1/models could not be read completely";
      return probe;
    }
    probe.parseBody(buffers.response);
  } catch (const std::exception& error) {
    probe.problem = "GET /v1/models failed: " + redactor_.apply(error.what());
  } catch (...) {
    probe.problem = "GET /v1/models failed";
  }
  return probe;
}

}  // namespace agent::bitrouter
