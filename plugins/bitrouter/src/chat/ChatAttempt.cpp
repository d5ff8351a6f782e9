#include "chat/ChatAttempt.hpp"

#include <exception>
#include <utility>

#include "agent/support/Text.hpp"
#include "chat/ChatRequestBuilder.hpp"
#include "chat/ChatResponseParser.hpp"
#include "chat/ChatStreamReader.hpp"
#include "chat/ErrorEnvelopeParser.hpp"
#include "chat/HttpErrorMapper.hpp"
#include "chat/StreamMismatch.hpp"
#include "chat/TextExcerpt.hpp"
#include "chat/TokenEstimator.hpp"
#include "schema/StructuredOutput.hpp"
#include "transport/RequestHeaders.hpp"
#include "transport/RequestId.hpp"
#include "transport/TransportErrorMapper.hpp"

namespace agent::bitrouter {
namespace {

// Error bodies are short; reading more than this only to print 300 bytes is pointless.
constexpr std::size_t kMaxErrorBodyBytes = 64 * 1024;

}  // namespace

CallFailure ChatAttempt::fail(CallFailure failure, int httpStatus, std::string partialText) const {
  if (failure.error.httpStatus == 0) failure.error.httpStatus = httpStatus;
  failure.error.requestId = requestId_;
  failure.error.partialText = std::move(partialText);
  return failure;
}

ChatAttempt::Outcome ChatAttempt::run() {
  HttpSessionPool::Lease lease = context_.pool.acquire();
  rapidjson::StringBuffer& body = lease.buffers().request;
  const ChatRequest request{model_.model, params_, schema_, config_.structuredOutputs, stream_};
  if (auto problem = ChatRequestBuilder::build(request, body)) {
    return CallFailure::make(ErrorKind::BadRequest, *problem, "no request was sent");
  }
  const std::string_view json(body.GetString(), body.GetSize());

  for (bool reconnected = false;;) {
    requestId_ = newRequestId();  // fresh per request, even for the keep-alive replay
    Poco::Net::HTTPRequest httpRequest =
        RequestHeaders::chat(config_, requestId_, stream_, json.size());
    Exchange result;
    exchange(config_, lease, httpRequest, json, deadline_, context_.watchdog, result);
    if (!result.failure) {
      Outcome outcome = handleResponse(lease, result);
      // Disarmed before the lease goes back; a socket the watchdog shut down is never reused,
      // even when the reply was already complete.
      result.watch.disarm();
      if (result.watch.fired()) lease.discard();
      return outcome;
    }
    result.watch.disarm();
    if (result.stale && lease.reused() && !reconnected) {
      // Poco's keep-alive race, caught while sending: the server closed the idle connection, so
      // it cannot have the whole request. Sending it on a fresh connection is safe and does not
      // count as a retry. (A failure after sending is not replayed: see ChatAttempt.hpp.)
      if (context_.log) {
        context_.log(LogLevel::Debug,
                     "kept-alive connection to BitRouter was closed; reconnecting");
      }
      lease.resetConnection();
      reconnected = true;
      continue;
    }
    lease.discard();
    return fail(std::move(*result.failure), 0);
  }
}

ChatAttempt::Outcome ChatAttempt::handleResponse(HttpSessionPool::Lease& lease,
                                                 Exchange& exchange) {
  const Poco::Net::HTTPResponse& response = exchange.response;
  const int status = static_cast<int>(response.getStatus());
  const bool success = status >= 200 && status < 300;
  BodyReader reader(lease.session(), lease.timeouts(), *exchange.body, &exchange.watch);
  if (success && stream_ && isEventStream(response.getContentType())) {
    return readStream(lease, reader);
  }

  CallBuffers& buffers = lease.buffers();
  std::string& body = buffers.response;
  const std::size_t limit = success ? config_.maxResponseBytes : kMaxErrorBodyBytes;
  BodyOutcome read = readBody(config_, reader, response, body, limit, buffers.read, deadline_);
  if (!read.reusable) lease.discard();
  if (read.failure) return fail(std::move(*read.failure), status);

  if (!success) {
    // An oversized error body is cut, not fatal: its start carries the message.
    const ErrorEnvelope envelope = ErrorEnvelopeParser::parse(body, context_.redactor);
    const ErrorContext context{model_, config_.baseUrl, config_.hasApiKey()};
    return fail(HttpErrorMapper::fromResponse(status, response.getReason(), envelope,
                                              retryAfterFrom(response), context),
                status);
  }
  if (read.cutShort()) return fail(cutShortFailure(body.size(), *read.promisedBytes), status);
  if (read.tooLarge) {
    return fail(CallFailure::make(ErrorKind::BadResponse, tooLargeMessage(config_.maxResponseBytes),
                                  "raise BITROUTER_MAX_RESPONSE_BYTES or lower maxTokens"),
                status);
  }
  const bool eventStreamBody = stream_ && StreamMismatch::looksLikeEventStream(body);
  Expected<ChatCompletion> parsed = ChatResponseParser::parse(body);
  if (!parsed) {
    if (stream_) {
      parsed.error().message = StreamMismatch::describe(response.getContentType(), eventStreamBody,
                                                        parsed.error().message);
    }
    return fail(CallFailure{std::move(parsed.error()), {}, false}, status);
  }
  ChatCompletion& completion = parsed.value();
  for (ToolCall& call : completion.toolCalls)
    toolCheck_.check(call);
  std::size_t delivered = 0;
  if (stream_ && completion.refusal.empty()) {
    // Asked to stream, BitRouter answered with plain JSON: deliver it as one piece each. The
    // reply is complete, so a "stop" from a callback changes nothing.
    if (auto failure = deliverWhole(completion)) return fail(std::move(*failure), status);
    delivered = completion.text.size();
  }
  return succeed(std::move(completion), delivered);
}

std::optional<CallFailure> ChatAttempt::deliverWhole(const ChatCompletion& reply) const {
  try {
    if (!reply.reasoning.empty() && params_.onReasoningChunk) {
      params_.onReasoningChunk(reply.reasoning);
    }
    if (!reply.text.empty()) params_.onChunk(reply.text);
    if (params_.onToolCall) {
      for (const ToolCall& call : reply.toolCalls)
        params_.onToolCall(call);
    }
  } catch (const std::exception& error) {
    return CallFailure::make(ErrorKind::Internal,
                             "the stream callback threw (" + textExcerpt(error.what(), 160) + ")");
  }
  return std::nullopt;
}

ChatAttempt::Outcome ChatAttempt::readStream(HttpSessionPool::Lease& lease, BodyReader& reader) {
  CallBuffers& buffers = lease.buffers();
  ChatStreamReader streamReader(reader, buffers, deadline_,
                                {config_.streamIdleTimeout, config_.maxResponseBytes},
                                context_.redactor);
  const ChatStreamReader::Result result = streamReader.run(params_, toolCheck_);
  if (!result.clean) lease.discard();

  StreamAccumulator& stream = buffers.stream;
  using End = ChatStreamReader::End;
  if (result.end == End::Finished) {
    ChatCompletion reply;
    reply.text = stream.takeText();
    reply.reasoning = stream.takeReasoning();
    reply.refusal = stream.refusal();
    reply.toolCalls = stream.toolCalls().calls();  // each checked as it was handed out
    reply.finishReason = stream.finishReason();
    reply.usage = stream.usage();
    return succeed(std::move(reply), result.delivered);
  }

  const std::size_t chars = result.delivered;
  const std::string count = std::to_string(chars) + " characters";
  CallFailure failure;
  switch (result.end) {
    case End::Truncated:
      failure = CallFailure::make(
          ErrorKind::Truncated,
          std::string("BitRouter's stream ended before the model finished (no finish_reason") +
              (stream.sawDone() ? ", [DONE] received" : ", connection ended") + ") after " + count,
          "retry the call");
      break;
    case End::ErrorFrame:
      failure = HttpErrorMapper::fromStreamError(stream.error(), chars);
      break;
    case End::Cancelled:
      failure = CallFailure::make(ErrorKind::Cancelled,
                                  "the stream was cancelled by the caller after " + count);
      break;
    case End::IdleTimeout:
      failure = CallFailure::make(ErrorKind::Timeout,
                                  "BitRouter's stream sent nothing for " +
                                      std::to_string(config_.streamIdleTimeout.count()) +
                                      " ms (BITROUTER_STREAM_IDLE_TIMEOUT_MS) after " + count,
                                  "raise BITROUTER_STREAM_IDLE_TIMEOUT_MS for slow models");
      break;
    case End::Deadline:
      failure = TransportErrorMapper::deadline(
          transportContext(config_, deadline_, config_.connectTimeout));
      break;
    case End::TooLarge:
      failure = CallFailure::make(ErrorKind::BadResponse, tooLargeMessage(config_.maxResponseBytes),
                                  "raise BITROUTER_MAX_RESPONSE_BYTES or lower maxTokens");
      break;
    case End::Malformed:
      failure = CallFailure::make(ErrorKind::BadResponse, stream.problem());
      break;
    case End::ReadFailed:
      failure = CallFailure::make(
          ErrorKind::Unavailable,
          "BitRouter's stream broke after " + count + " (" + result.detail + ")", "retry the call");
      break;
    case End::CallbackFailed:
      failure = CallFailure::make(ErrorKind::Internal,
                                  "the stream callback threw (" + result.detail + ")");
      break;
    case End::Finished:
      break;
  }
  failure.retry = false;  // a started stream is never replayed
  return fail(std::move(failure), 200, stream.text().substr(0, chars));
}

ChatAttempt::Outcome ChatAttempt::succeed(ChatCompletion reply, std::size_t delivered) {
  std::string partial = reply.text.substr(0, delivered);
  if (!reply.refusal.empty()) {
    return fail(CallFailure::make(ErrorKind::Refused, std::move(reply.refusal)), 200,
                std::move(partial));
  }
  ModelOutput output;
  std::size_t completionChars = reply.text.size() + reply.reasoning.size();
  for (const ToolCall& call : reply.toolCalls)
    completionChars += call.name.size() + call.arguments.size();
  output.usage = reply.usage ? *reply.usage : estimateUsage(params_, completionChars);
  // A turn that only calls tools is not the structured answer yet: nothing to validate.
  const bool toolsOnly = !reply.toolCalls.empty() && text::isBlank(reply.text);
  if (schema_ != nullptr && !toolsOnly) {
    if (reply.finishReason == "content_filter") {
      // BitRouter folds an upstream refusal into the content this way: not a schema mismatch.
      std::string words = text::isBlank(reply.text)
                              ? std::string("the reply was filtered (finish_reason content_filter)")
                              : std::move(reply.text);
      return fail(CallFailure::make(ErrorKind::Refused, std::move(words)), 200, std::move(partial));
    }
    Expected<std::string> json = StructuredOutput::validate(reply.text, *schema_);
    if (!json) {
      const std::string hint =
          reply.finishReason == "length"
              ? "the reply was cut at maxTokens (finish_reason 'length'); raise maxTokens"
              : std::string();
      return fail(CallFailure{std::move(json.error()), hint, false}, 200, std::move(partial));
    }
    reply.text = std::move(json.value());
  }
  output.text = std::move(reply.text);
  output.toolCalls = std::move(reply.toolCalls);
  output.reasoning = std::move(reply.reasoning);
  output.finishReason = std::move(reply.finishReason);
  output.model = model_.model;
  return output;
}

}  // namespace agent::bitrouter
