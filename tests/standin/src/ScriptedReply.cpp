#include "ScriptedReply.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "CompletionRenderer.hpp"
#include "ErrorEnvelope.hpp"
#include "ResponseWriter.hpp"
#include "SseWriter.hpp"
#include "ToolCallFrames.hpp"

namespace agent::standin {
namespace {

constexpr std::string_view kDone = "[DONE]";

// The default stream: the reply in (up to) four pieces, never splitting a UTF-8 sequence.
std::vector<std::string> splitIntoChunks(const std::string& content) {
  std::vector<std::string> chunks;
  const std::size_t piece = (content.size() + 3) / 4;
  for (std::size_t pos = 0; pos < content.size();) {
    std::size_t end = std::min(content.size(), pos + piece);
    while (end < content.size() && (static_cast<unsigned char>(content[end]) & 0xC0) == 0x80)
      ++end;
    chunks.push_back(content.substr(pos, end - pos));
    pos = end;
  }
  return chunks;
}

std::string jsonObjectReply(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("message");
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  writer.EndObject();
  return buffer.GetString();
}

std::size_t tokensFor(std::size_t chars) {
  return std::max<std::size_t>(1, chars / 4);
}

// BitRouter folds an upstream refusal into the content and reports content_filter.
bool foldsRefusal(const ResponseScript& script) {
  return script.refusal && !script.rawRefusal;
}

std::string finishReasonOf(const ResponseScript& script) {
  if (script.finishReason) return *script.finishReason;
  if (foldsRefusal(script)) return "content_filter";
  return script.toolCalls.empty() ? "stop" : "tool_calls";
}

}  // namespace

std::string ScriptedReply::replyContent(const ResponseScript& script,
                                        const ReplyContext& context) const {
  std::string content;
  if (script.content) {
    content = *script.content;
  } else if (!script.toolCalls.empty() || script.refusal) {
    // A reply that calls tools or refuses has no text of its own unless scripted.
  } else {
    std::string text = options_.replyText.value_or("Stand-in reply from " + context.model + ": " +
                                                   context.request.lastUserText);
    bool wantsJson = context.request.responseFormat == ResponseFormat::JsonObject ||
                     context.request.responseFormat == ResponseFormat::JsonSchema;
    content = wantsJson ? jsonObjectReply(text) : std::move(text);
  }
  // Spaces keep a JSON reply parseable while making the body as large as asked.
  content.append(script.bodyPadBytes, ' ');
  return content;
}

bool ScriptedReply::play(const ResponseScript& script, const ReplyContext& context) {
  if (!channel_.pause(script.delayBeforeHeaders)) return false;
  if (script.neverAnswer) {
    channel_.holdSilently();
    return false;
  }
  if (script.dropBeforeHeaders) {
    channel_.shutdown();
    return false;
  }

  int status = script.status;
  if (script.errorCode && status == 200) {
    status = ErrorEnvelope::statusOf(*script.errorCode);
    if (status == 0) status = 500;
  }
  if (status != 200) {
    HttpResponse response =
        ErrorEnvelope::scripted(status, script.errorCode, script.errorMessage, context.model);
    if (script.body) response.body = *script.body;
    return ResponseWriter::writeScripted(channel_, std::move(response), context.keepAlive, script);
  }
  if (script.body) {  // a raw 200 body, even for a stream request (a misbehaving router)
    return ResponseWriter::writeScripted(channel_, HttpResponse::json(200, *script.body),
                                         context.keepAlive, script);
  }
  if (context.request.stream) return playStream(script, context);

  std::string content = script.nullContent ? std::string() : replyContent(script, context);
  if (foldsRefusal(script)) content += *script.refusal;
  const bool nullContent = script.nullContent || (script.rawRefusal && content.empty());
  const std::string finishReason = finishReasonOf(script);
  Completion completion{context.requestId,
                        context.model,
                        nullContent ? std::nullopt : std::optional<std::string_view>(content),
                        finishReason,
                        std::nullopt,
                        script.emptyChoices};
  if (script.reasoning) completion.reasoning = *script.reasoning;
  if (script.refusal && script.rawRefusal) completion.refusal = *script.refusal;
  completion.toolCalls = &script.toolCalls;
  if (!script.omitUsage) {
    completion.usage =
        Usage{tokensFor(context.request.promptChars), tokensFor(content.size()),
              script.cachedTokens, script.cacheCreationTokens, script.reasoningTokens};
  }
  return ResponseWriter::writeScripted(
      channel_, HttpResponse::json(200, CompletionRenderer::completion(completion)),
      context.keepAlive, script);
}

bool ScriptedReply::playStream(const ResponseScript& script, const ReplyContext& context) {
  const auto delay = script.frameDelay.value_or(options_.streamFrameDelay);
  const bool reusable = context.keepAlive && context.chunked;
  SseWriter sse(channel_, context.chunked, options_.keepaliveInterval);
  StandinState& state = channel_.state();

  std::vector<std::pair<std::string, std::string>> headers = script.headers;
  if (script.contentType) headers.emplace(headers.begin(), "content-type", *script.contentType);
  if (!sse.start(headers)) return false;

  for (int i = 0; i < script.keepalivesBeforeFirstFrame; ++i) {
    if (i > 0 && !sse.pause(delay)) return false;
    if (!sse.comment()) return false;
  }

  // Reasoning first, then the text (a folded refusal is text), a raw refusal, the tool calls.
  std::vector<std::string> frames;
  auto addDelta = [&](const Delta& delta) {
    frames.push_back(
        CompletionRenderer::deltaChunk(context.requestId, context.model, frames.empty(), delta));
  };
  if (script.reasoning) {
    for (const std::string& piece : splitIntoChunks(*script.reasoning))
      addDelta(Delta{.reasoning = piece});
  }
  std::vector<std::string> chunks = script.streamChunks;
  if (chunks.empty() && !script.nullContent) {
    chunks = splitIntoChunks(replyContent(script, context));
  }
  if (foldsRefusal(script)) {
    for (std::string& piece : splitIntoChunks(*script.refusal))
      chunks.push_back(std::move(piece));
  }
  for (const std::string& chunk : chunks) {
    frames.push_back(CompletionRenderer::chunk(context.requestId, context.model, frames.empty(),
                                               chunk, std::nullopt));
  }
  if (script.refusal && script.rawRefusal) {
    for (const std::string& piece : splitIntoChunks(*script.refusal))
      addDelta(Delta{.refusal = piece});
  }
  for (const ToolCallDelta& call : ToolCallFrames::deltas(script))
    addDelta(Delta{.toolCall = call});
  if (!script.omitFinish) {
    // With no other frame, the role rides on the finish chunk.
    frames.push_back(CompletionRenderer::chunk(context.requestId, context.model, frames.empty(),
                                               std::nullopt, finishReasonOf(script)));
  }
  if (script.streamUsage) {
    std::size_t completionChars = 0;
    for (const std::string& chunk : chunks)
      completionChars += chunk.size();
    frames.push_back(CompletionRenderer::usageChunk(
        context.requestId, context.model,
        Usage{tokensFor(context.request.promptChars), tokensFor(completionChars),
              script.cachedTokens, script.cacheCreationTokens, script.reasoningTokens}));
  }
  const std::string errorFrame =
      script.streamErrorJson.value_or(ErrorEnvelope::streamErrorJson(script.streamErrorCode));

  // Frame indexes at which the stream fails; kNever when it does not.
  constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();
  const std::size_t cutAt = script.cutAfterFrames.value_or(script.dropMidBody ? 1 : kNever);
  const std::size_t errorAt = script.errorAfterFrames.value_or(kNever);
  bool paceNext = script.keepalivesBeforeFirstFrame > 0;
  auto pace = [&] { return !paceNext || sse.pause(delay); };
  auto sendFrame = [&](std::string_view json) {
    if (!pace() || !sse.data(json)) return false;
    state.markStreamFrameSent();
    paceNext = true;
    return true;
  };
  auto end = [&]() -> bool {
    if (!sse.finish()) return false;
    if (!reusable) channel_.shutdown();
    return reusable;
  };

  for (std::size_t i = 0; i <= frames.size(); ++i) {
    if (errorAt == i) {
      // Mid-stream failure: the status is already 200, so the error is a frame.
      if (!sendFrame(errorFrame)) return false;
      if (!script.omitDone && !sendFrame(kDone)) return false;
      return end();
    }
    if (cutAt == i) {
      channel_.shutdown();  // no terminating chunk: the client sees the stream stop mid-way
      return false;
    }
    if (i < frames.size() && !sendFrame(frames[i])) return false;
  }
  if (errorAt != kNever && errorAt > frames.size()) {
    if (!sendFrame(errorFrame)) return false;
  }
  if (cutAt != kNever && cutAt > frames.size()) {
    channel_.shutdown();
    return false;
  }
  if (!script.omitDone && !sendFrame(kDone)) return false;
  return end();
}

}  // namespace agent::standin
