#include "chat/ChatResponseParser.hpp"

#include <cstddef>

#include <rapidjson/error/en.h>

#include "chat/ToolCallAccumulator.hpp"

namespace agent::bitrouter {
namespace {

ModelError badResponse(std::string what) {
  return makeError(ErrorKind::BadResponse, std::move(what));
}

// No real count comes near this; the bound keeps sums from overflowing and rejects nonsense.
constexpr std::int64_t kMaxTokenCount = std::int64_t{1} << 50;

// A token count, or nullopt when the member is absent or not a plausible count (negative, huge,
// fractional garbage such as 1e300: converting that to an integer would be undefined).
std::optional<std::int64_t> tokenCountMember(const rapidjson::Value& object, const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd()) return std::nullopt;
  const rapidjson::Value& value = member->value;
  if (value.IsInt64()) {
    const std::int64_t count = value.GetInt64();
    if (count >= 0 && count <= kMaxTokenCount) return count;
  } else if (value.IsDouble()) {
    const double count = value.GetDouble();
    if (count >= 0 && count <= static_cast<double>(kMaxTokenCount)) {
      return static_cast<std::int64_t>(count);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<TokenUsage> ChatResponseParser::usageFrom(const rapidjson::Value& usage) {
  if (!usage.IsObject()) return std::nullopt;
  const auto prompt = tokenCountMember(usage, "prompt_tokens");
  const auto completion = tokenCountMember(usage, "completion_tokens");
  const auto total = tokenCountMember(usage, "total_tokens");
  if (!prompt && !completion && !total) return std::nullopt;
  TokenUsage tokens;
  tokens.promptTokens = prompt.value_or(0);
  tokens.completionTokens = completion.value_or(0);
  tokens.totalTokens = total.value_or(tokens.promptTokens + tokens.completionTokens);
  // The details, when sent; a count not sent stays absent, never zero.
  const auto promptDetails = usage.FindMember("prompt_tokens_details");
  if (promptDetails != usage.MemberEnd() && promptDetails->value.IsObject()) {
    tokens.cacheReadInputTokens = tokenCountMember(promptDetails->value, "cached_tokens");
    tokens.cacheCreationInputTokens =
        tokenCountMember(promptDetails->value, "cache_creation_tokens");
  }
  const auto completionDetails = usage.FindMember("completion_tokens_details");
  if (completionDetails != usage.MemberEnd() && completionDetails->value.IsObject()) {
    tokens.reasoningTokens = tokenCountMember(completionDetails->value, "reasoning_tokens");
  }
  return tokens;
}

void ChatResponseParser::copyString(const rapidjson::Value& object, const char* name,
                                    std::string& out) {
  const auto member = object.FindMember(name);
  if (member != object.MemberEnd() && member->value.IsString() &&
      member->value.GetStringLength() > 0) {
    out.assign(member->value.GetString(), member->value.GetStringLength());
  }
}

void ChatResponseParser::appendContent(const rapidjson::Value& content, std::string& out) {
  if (content.IsString()) {
    out.append(content.GetString(), content.GetStringLength());
    return;
  }
  if (!content.IsArray()) return;  // null (or anything else) carries no text
  for (const auto& part : content.GetArray()) {
    if (!part.IsObject()) continue;
    const auto text = part.FindMember("text");
    if (text != part.MemberEnd() && text->value.IsString()) {
      out.append(text->value.GetString(), text->value.GetStringLength());
    }
  }
}

void ChatResponseParser::appendReasoning(const rapidjson::Value& message, std::string& out) {
  for (const char* name : {"reasoning_content", "reasoning"}) {
    const auto member = message.FindMember(name);
    if (member != message.MemberEnd() && member->value.IsString() &&
        member->value.GetStringLength() > 0) {
      out.append(member->value.GetString(), member->value.GetStringLength());
      return;
    }
  }
}

Expected<ChatCompletion> ChatResponseParser::parse(std::string& body) {
  // Stack-backed pools: a typical reply needs a few dozen values; more spills to the heap.
  using Pool = rapidjson::MemoryPoolAllocator<>;
  alignas(std::max_align_t) char valueBuffer[4096];
  alignas(std::max_align_t) char stackBuffer[1024];
  Pool valueAllocator(valueBuffer, sizeof valueBuffer);
  Pool stackAllocator(stackBuffer, sizeof stackBuffer);
  rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool> document(&valueAllocator, 256,
                                                                     &stackAllocator);
  document.ParseInsitu<rapidjson::kParseIterativeFlag>(body.data());
  if (document.HasParseError()) {
    return badResponse(std::string("BitRouter returned malformed JSON (") +
                       rapidjson::GetParseError_En(document.GetParseError()) + " at offset " +
                       std::to_string(document.GetErrorOffset()) + ")");
  }
  if (!document.IsObject()) {
    return badResponse("BitRouter returned JSON that is not a chat completion object");
  }
  const auto choices = document.FindMember("choices");
  if (choices == document.MemberEnd() || !choices->value.IsArray() || choices->value.Empty()) {
    return badResponse("BitRouter returned no choices");
  }
  const rapidjson::Value& choice = choices->value[0];
  if (!choice.IsObject()) return badResponse("BitRouter returned a choice that is not an object");
  const auto message = choice.FindMember("message");
  if (message == choice.MemberEnd() || !message->value.IsObject()) {
    return badResponse("BitRouter returned a choice without a message");
  }

  ChatCompletion completion;
  copyString(document, "id", completion.id);
  copyString(document, "model", completion.model);
  const auto content = message->value.FindMember("content");
  if (content != message->value.MemberEnd()) appendContent(content->value, completion.text);
  appendReasoning(message->value, completion.reasoning);
  const auto refusal = message->value.FindMember("refusal");
  if (refusal != message->value.MemberEnd() && refusal->value.IsString()) {
    completion.refusal.assign(refusal->value.GetString(), refusal->value.GetStringLength());
  }
  const auto toolCalls = message->value.FindMember("tool_calls");
  if (toolCalls != message->value.MemberEnd()) {
    ToolCallAccumulator calls;
    calls.add(toolCalls->value, /*positional=*/true);
    completion.toolCalls = calls.calls();
  }
  const auto finish = choice.FindMember("finish_reason");
  if (finish != choice.MemberEnd() && finish->value.IsString()) {
    completion.finishReason.assign(finish->value.GetString(), finish->value.GetStringLength());
  }
  const auto usage = document.FindMember("usage");
  if (usage != document.MemberEnd()) completion.usage = usageFrom(usage->value);
  return completion;
}

}  // namespace agent::bitrouter
