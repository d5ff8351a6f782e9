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
#include "errors/TextExcerpt.hpp"
#include "schema/StructuredOutput.hpp"

namespace agent::bitrouter {
namespace {

// Error bodies are short; reading more than this only to print 300 bytes is pointless.
constexpr std::size_t kMaxErrorBodyBytes = 64 * 1024;

// The characters the request carries as text: system + prompt, or the messages.
std::size_t promptCharacters(const GenerateTextParams& params) noexcept {
  std::size_t total = params.system ? params.system->size() : 0;
  if (params.messages.empty()) return total + params.prompt.size();
  for (const ChatMessage& message : params.messages)
    total += message.content.size();
  return total;
}

}  // namespace

std::int64_t estimateTokens(std::size_t characters) noexcept {
  return static_cast<std::int64_t>((characters + kCharsPerToken - 1) / kCharsPerToken);
}

TokenUsage estimateUsage(const GenerateTextParams& params, std::size_t completionCharacters) {
  TokenUsage usage;
  usage.promptTokens = estimateTokens(promptCharacters(params));
  usage.completionTokens = estimateTokens(completionCharacters);
  usage.totalTokens = usage.promptTokens + usage.completionTokens;
  usage.estimated = true;
  return usage;
}

CallFailure ChatAttempt::fail(CallFailure failure, int httpStatus, std::string partialText) const {
  if (failure.error.httpStatus == 0) failure.error.httpStatus = httpStatus;
  failure.error.requestId = transport_.requestId();
  failure.error.partialText = std::move(partialText);
  return failure;
}

ChatAttempt::Outcome ChatAttempt::run() {
  rapidjson::StringBuffer& body = transport_.buffers().request;
  const ChatRequest request{model_.model, params_, schema_, config_.structuredOutputs, stream_};
  if (auto problem = ChatRequestBuilder::build(request, body)) {
    transport_.release(true);  // nothing was sent on it
    return CallFailure::make(ErrorKind::BadRequest, *problem, "no request was sent");
  }
  const std::string_view json(body.GetString(), body.GetSize());
  const std::string traceparent = params_.trace.traceparent();
  sent_ = std::chrono::steady_clock::now();
  Expected<ResponseHead, CallFailure> head =
      transport_.send({CallTransport::Method::ChatCompletion, stream_, json, traceparent});
  if (!head) return fail(std::move(head).error(), 0);
  reusable_ = false;
  Outcome outcome = handleResponse(head.value());
  transport_.release(reusable_);
  return outcome;
}

ChatAttempt::Outcome ChatAttempt::handleResponse(const ResponseHead& head) {
  const int status = head.status;
  if (head.success() && stream_ && head.eventStream()) return readStream();

  std::string& body = transport_.buffers().response;
  const std::size_t limit = head.success() ? config_.maxResponseBytes : kMaxErrorBodyBytes;
  Expected<BodyRead, CallFailure> read = transport_.readBody(body, limit);
  if (!read) return fail(std::move(read).error(), status);
  reusable_ = read.value().reusable;

  if (!head.success()) {
    // An oversized error body is cut, not fatal: its start carries the message.
    const ErrorEnvelope envelope = ErrorEnvelopeParser::parse(body, redactor_);
    const ErrorContext context{model_, config_.baseUrl, config_.hasApiKey()};
    return fail(
        HttpErrorMapper::fromResponse(status, head.reason, envelope, head.retryAfter, context),
        status);
  }
  if (read.value().cutShort()) {
    return fail(cutShortFailure(body.size(), read.value().promisedBytes), status);
  }
  if (read.value().tooLarge) {
    return fail(CallFailure::make(ErrorKind::BadResponse, tooLargeMessage(config_.maxResponseBytes),
                                  "raise BITROUTER_MAX_RESPONSE_BYTES or lower maxTokens"),
                status);
  }
  const bool eventStreamBody = stream_ && StreamMismatch::looksLikeEventStream(body);
  Expected<ChatCompletion> parsed = ChatResponseParser::parse(body);
  if (!parsed) {
    if (stream_) {
      parsed.error().message = StreamMismatch::describe(std::string(head.contentType),
                                                        eventStreamBody, parsed.error().message);
    }
    return fail(CallFailure{std::move(parsed.error()), {}}, status);
  }
  ChatCompletion& completion = parsed.value();
  for (ToolCall& call : completion.toolCalls)
    toolCheck_.check(call);
  std::size_t delivered = 0;
  if (stream_ && completion.refusal.empty()) {
    // Asked to stream, BitRouter answered with plain JSON: deliver it as one piece each. The
    // reply is complete, so a "stop" from a callback changes nothing.
    timeToFirstChunk_ = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - sent_);
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

ChatAttempt::Outcome ChatAttempt::readStream() {
  ChatStreamReader streamReader(transport_, transport_.buffers(),
                                {config_.streamIdleTimeout, config_.maxResponseBytes}, redactor_);
  const ChatStreamReader::Result result = streamReader.run(params_, toolCheck_);
  reusable_ = result.clean;

  StreamAccumulator& stream = streamReader.stream();
  using End = ChatStreamReader::End;
  if (result.end == End::Finished) {
    ChatCompletion reply;
    reply.text = stream.takeText();
    reply.reasoning = stream.takeReasoning();
    reply.refusal = stream.refusal();
    reply.toolCalls = stream.toolCalls().calls();  // each checked as it was handed out
    reply.finishReason = stream.finishReason();
    reply.usage = stream.usage();
    reply.id = stream.id();
    reply.model = stream.model();
    if (result.firstChunk) {
      timeToFirstChunk_ =
          std::chrono::duration_cast<std::chrono::milliseconds>(*result.firstChunk - sent_);
    }
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
      failure.error.retryable = false;
      break;
    case End::IdleTimeout:
      failure = CallFailure::make(ErrorKind::Timeout,
                                  "BitRouter's stream sent nothing for " +
                                      std::to_string(config_.streamIdleTimeout.count()) +
                                      " ms (BITROUTER_STREAM_IDLE_TIMEOUT_MS) after " + count,
                                  "raise BITROUTER_STREAM_IDLE_TIMEOUT_MS for slow models");
      break;
    case End::Stopped:
      failure = transport_.stopFailure();
      if (failure.error.kind == ErrorKind::Cancelled) failure.error.message += " after " + count;
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
      return fail(CallFailure{std::move(json.error()), hint}, 200, std::move(partial));
    }
    reply.text = std::move(json.value());
  }
  output.text = std::move(reply.text);
  output.toolCalls = std::move(reply.toolCalls);
  output.reasoning = std::move(reply.reasoning);
  output.finishReason = std::move(reply.finishReason);
  output.model = model_.model;
  output.requestId = transport_.requestId();
  output.responseId = std::move(reply.id);
  output.responseModel = std::move(reply.model);
  output.timeToFirstChunk = timeToFirstChunk_;
  return output;
}

}  // namespace agent::bitrouter
