#include "trace/GenAiSpans.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "trace/GenAiConventions.hpp"

namespace agent::otel {
namespace {

using namespace std::chrono;

void add(Attributes& attributes, std::string_view key, AttributeValue value) {
  attributes.push_back({std::string(key), std::move(value)});
}

// The request parameters that were set, and nothing for those that were not.
void addRequest(Attributes& attributes, const RequestedSampling& request) {
  if (request.maxTokens) add(attributes, conv::kRequestMaxTokens, *request.maxTokens);
  if (request.temperature) add(attributes, conv::kRequestTemperature, *request.temperature);
  if (request.topP) add(attributes, conv::kRequestTopP, *request.topP);
  if (request.topK) add(attributes, conv::kRequestTopK, *request.topK);
  if (request.seed) add(attributes, conv::kRequestSeed, *request.seed);
  if (request.frequencyPenalty) {
    add(attributes, conv::kRequestFrequencyPenalty, *request.frequencyPenalty);
  }
  if (request.presencePenalty) {
    add(attributes, conv::kRequestPresencePenalty, *request.presencePenalty);
  }
  if (!request.stopSequences.empty()) {
    add(attributes, conv::kRequestStopSequences, request.stopSequences);
  }
}

void addServer(Attributes& attributes, const std::string& address, std::optional<int> port) {
  if (!address.empty()) add(attributes, conv::kServerAddress, address);
  if (port) add(attributes, conv::kServerPort, static_cast<std::int64_t>(*port));
}

std::string spanName(std::string_view operation, std::string_view subject) {
  std::string name(operation);
  if (!subject.empty()) {
    name += ' ';
    name += subject;
  }
  return name;
}

void setTimes(SpanData& span, system_clock::time_point start, milliseconds duration) {
  span.startUnixNano = startUnixNano(start, duration);
  span.endUnixNano =
      span.startUnixNano + static_cast<std::uint64_t>(duration_cast<nanoseconds>(duration).count());
}

// A span of `operation` on `subject` (the span name the conventions give, e.g. "chat gpt-4o"),
// timed, with its gen_ai.operation.name: what every span of this plugin starts with.
SpanData openSpan(std::string_view operation, std::string_view subject, SpanKind kind,
                  system_clock::time_point start, milliseconds duration) {
  SpanData span;
  span.name = spanName(operation, subject);
  span.kind = kind;
  setTimes(span, start, duration);
  add(span.attributes, conv::kOperationName, std::string(operation));
  return span;
}

// The prompt as gen_ai.input.messages: one user message with one text part, as JSON text.
std::string inputMessagesJson(const std::string& prompt) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartArray();
  writer.StartObject();
  writer.Key("role");
  writer.String("user");
  writer.Key("parts");
  writer.StartArray();
  writer.StartObject();
  writer.Key("type");
  writer.String("text");
  writer.Key("content");
  writer.String(prompt.data(), static_cast<rapidjson::SizeType>(prompt.size()));
  writer.EndObject();
  writer.EndArray();
  writer.EndObject();
  writer.EndArray();
  return buffer.GetString();
}

// One span event per registration the call tried and left before the one that served.
void addFailover(SpanData& span, const std::vector<ProviderAttempt>& attempts) {
  std::uint64_t at = span.startUnixNano;
  for (const ProviderAttempt& attempt : attempts) {
    at += static_cast<std::uint64_t>(duration_cast<nanoseconds>(attempt.duration).count());
    SpanEventData event{std::string(conv::kFailoverEvent), at, {}};
    add(event.attributes, conv::kProviderName, attempt.provider);
    add(event.attributes, conv::kErrorType, std::string(toString(attempt.kind)));
    if (attempt.httpStatus != 0) {
      add(event.attributes, "http.response.status_code",
          static_cast<std::int64_t>(attempt.httpStatus));
    }
    span.events.push_back(std::move(event));
  }
}

}  // namespace

std::uint64_t startUnixNano(system_clock::time_point start, milliseconds duration) {
  if (start.time_since_epoch().count() == 0) start = system_clock::now() - duration;
  const auto nanos = duration_cast<nanoseconds>(start.time_since_epoch()).count();
  return nanos > 0 ? static_cast<std::uint64_t>(nanos) : 0;
}

SpanData chatSpan(const ModelUsedEvent& event, bool captureContent) {
  SpanData span = openSpan(conv::kOperationChat, event.model, SpanKind::Client, event.startTime,
                           event.duration);
  Attributes& a = span.attributes;
  a.reserve(24);
  add(a, conv::kProviderName, event.provider);
  if (!event.model.empty()) add(a, conv::kRequestModel, event.model);
  addRequest(a, event.request);
  if (event.streamed) add(a, conv::kRequestStream, true);
  if (!event.responseId.empty()) add(a, conv::kResponseId, event.responseId);
  if (!event.responseModel.empty()) add(a, conv::kResponseModel, event.responseModel);
  if (!event.finishReason.empty()) {
    add(a, conv::kResponseFinishReasons, std::vector<std::string>{event.finishReason});
  }
  add(a, conv::kUsageInputTokens, event.tokens.promptTokens);
  add(a, conv::kUsageOutputTokens, event.tokens.completionTokens);
  if (event.tokens.cacheReadInputTokens) {
    add(a, conv::kUsageCacheReadInputTokens, *event.tokens.cacheReadInputTokens);
  }
  if (event.tokens.cacheCreationInputTokens) {
    add(a, conv::kUsageCacheCreationInputTokens, *event.tokens.cacheCreationInputTokens);
  }
  if (event.tokens.reasoningTokens) {
    add(a, conv::kUsageReasoningOutputTokens, *event.tokens.reasoningTokens);
  }
  if (event.timeToFirstChunk) {
    add(a, conv::kResponseTimeToFirstChunk,
        duration_cast<duration<double>>(*event.timeToFirstChunk).count());
  }
  addServer(a, event.serverAddress, event.serverPort);
  add(a, conv::kModelType, std::string(toString(event.type)));
  if (event.attempts > 1) add(a, conv::kAttempts, static_cast<std::int64_t>(event.attempts));
  if (captureContent && !event.prompt.empty()) {
    add(a, conv::kInputMessages, inputMessagesJson(event.prompt));
  }
  addFailover(span, event.failedAttempts);
  return span;
}

SpanData failedChatSpan(const ModelFailedEvent& event) {
  SpanData span = openSpan(conv::kOperationChat, event.model, SpanKind::Client, event.startTime,
                           event.duration);
  span.failed = true;
  span.statusMessage = event.message;
  Attributes& a = span.attributes;
  add(a, conv::kProviderName, event.provider);
  if (!event.model.empty()) add(a, conv::kRequestModel, event.model);
  addRequest(a, event.request);
  if (event.streamed) add(a, conv::kRequestStream, true);
  add(a, conv::kErrorType, std::string(toString(event.kind)));
  if (event.httpStatus != 0) {
    add(a, "http.response.status_code", static_cast<std::int64_t>(event.httpStatus));
  }
  addServer(a, event.serverAddress, event.serverPort);
  add(a, conv::kModelType, std::string(toString(event.type)));
  // The last attempt is the failure itself; those before it are failover.
  if (event.attempts.size() > 1) {
    addFailover(span,
                std::vector<ProviderAttempt>(event.attempts.begin(), event.attempts.end() - 1));
  }
  return span;
}

SpanData toolSpan(const ToolEndedEvent& event) {
  SpanData span = openSpan(conv::kOperationExecuteTool, event.tool, SpanKind::Internal,
                           event.startTime, event.duration);
  Attributes& a = span.attributes;
  add(a, conv::kToolName, event.tool);
  if (!event.callId.empty()) add(a, conv::kToolCallId, event.callId);
  if (!event.source.empty()) add(a, conv::kToolSource, event.source);
  if (event.failed) {
    span.failed = true;
    span.statusMessage = event.error;
    add(a, conv::kErrorType, std::string("tool_error"));
  }
  return span;
}

SpanData runSpan(const RunEndedEvent& event) {
  SpanData span = openSpan(conv::kOperationInvokeAgent, event.agent, SpanKind::Internal,
                           event.startTime, event.duration);
  Attributes& a = span.attributes;
  if (!event.provider.empty()) add(a, conv::kProviderName, event.provider);
  if (!event.agent.empty()) add(a, conv::kAgentName, event.agent);
  add(a, conv::kModelType, std::string(toString(event.type)));
  add(a, conv::kRunSteps, static_cast<std::int64_t>(event.steps));
  add(a, conv::kRunToolRuns, static_cast<std::int64_t>(event.toolRuns));
  if (event.error) {
    span.failed = true;
    span.statusMessage = event.errorMessage;
    add(a, conv::kErrorType, std::string(toString(*event.error)));
  }
  return span;
}

}  // namespace agent::otel
