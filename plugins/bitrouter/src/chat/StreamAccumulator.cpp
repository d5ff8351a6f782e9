#include "chat/StreamAccumulator.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "agent/support/Text.hpp"
#include "chat/ChatResponseParser.hpp"
#include "chat/SplitSurrogates.hpp"
#include "errors/TextExcerpt.hpp"

namespace agent::bitrouter {
namespace {

// A chunk of a few hundred bytes needs a few dozen values; these buffers hold them.
constexpr std::size_t kValueBufferBytes = 4096;
constexpr std::size_t kStackBufferBytes = 1024;
constexpr std::size_t kStackCapacity = 256;

using Pool = rapidjson::MemoryPoolAllocator<>;
using FrameDocument = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool>;

}  // namespace

void StreamAccumulator::reset() noexcept {
  scratch_.clear();
  text_.clear();
  lastContentStart_ = 0;
  reasoning_.clear();
  lastReasoningStart_ = 0;
  refusal_.clear();
  toolCalls_.reset();
  finishReason_.clear();
  usage_.reset();
  id_.clear();
  model_.clear();
  error_ = ErrorEnvelope{};
  problem_.clear();
  finished_ = false;
  done_ = false;
}

std::size_t StreamAccumulator::ready(std::string_view text) const noexcept {
  // Half a surrogate pair waits for its other half, unless the stream has finished.
  return text.size() - (finished_ || done_ ? 0 : surrogates::pendingHalf(text));
}

std::string_view StreamAccumulator::lastContent() const noexcept {
  return std::string_view(text_).substr(0, deliveredText()).substr(lastContentStart_);
}

std::string_view StreamAccumulator::lastReasoning() const noexcept {
  return std::string_view(reasoning_).substr(0, ready(reasoning_)).substr(lastReasoningStart_);
}

StreamAccumulator::Step StreamAccumulator::onData(std::string_view data, const Redactor& redactor) {
  // What the last frame left waiting (half a surrogate pair) is this frame's to hand out.
  lastContentStart_ = ready(text_);
  lastReasoningStart_ = ready(reasoning_);
  if (text::trim(data) == "[DONE]") {
    done_ = true;
    return Step::Done;
  }

  surrogates::copyFrame(data, scratch_);
  alignas(std::max_align_t) char valueBuffer[kValueBufferBytes];
  alignas(std::max_align_t) char stackBuffer[kStackBufferBytes];
  Pool valueAllocator(valueBuffer, sizeof valueBuffer);
  Pool stackAllocator(stackBuffer, sizeof stackBuffer);
  FrameDocument document(&valueAllocator, kStackCapacity, &stackAllocator);
  document.ParseInsitu<rapidjson::kParseIterativeFlag>(scratch_.data());
  if (document.HasParseError()) {
    problem_ = std::string("BitRouter sent a malformed stream frame (") +
               rapidjson::GetParseError_En(document.GetParseError()) + " at offset " +
               std::to_string(document.GetErrorOffset()) +
               "): " + redactor.apply(textExcerpt(redactor.apply(data), 80));
    return Step::Malformed;
  }
  if (!document.IsObject()) {
    problem_ = "BitRouter sent a stream frame that is not a JSON object: " +
               redactor.apply(textExcerpt(redactor.apply(data), 80));
    return Step::Malformed;
  }

  const auto error = document.FindMember("error");
  if (error != document.MemberEnd()) {
    error_ = ErrorEnvelopeParser::fromErrorValue(error->value, data, redactor);
    return Step::Error;
  }

  if (id_.empty()) ChatResponseParser::copyString(document, "id", id_);
  if (model_.empty()) ChatResponseParser::copyString(document, "model", model_);

  const auto usage = document.FindMember("usage");
  if (usage != document.MemberEnd()) {
    if (auto tokens = ChatResponseParser::usageFrom(usage->value)) usage_ = tokens;
  }

  const auto choices = document.FindMember("choices");
  if (choices == document.MemberEnd() || !choices->value.IsArray() || choices->value.Empty()) {
    return Step::Continue;
  }
  const auto& choice = choices->value[0];
  if (!choice.IsObject()) return Step::Continue;

  const auto delta = choice.FindMember("delta");
  if (delta != choice.MemberEnd() && delta->value.IsObject()) {
    const rapidjson::Value& fields = delta->value;
    const auto content = fields.FindMember("content");
    const std::size_t textBefore = text_.size();
    if (content != fields.MemberEnd()) ChatResponseParser::appendContent(content->value, text_);
    surrogates::joinAt(text_, textBefore);
    const std::size_t reasoningBefore = reasoning_.size();
    ChatResponseParser::appendReasoning(fields, reasoning_);
    surrogates::joinAt(reasoning_, reasoningBefore);
    const auto refusal = fields.FindMember("refusal");
    if (refusal != fields.MemberEnd() && refusal->value.IsString()) {
      refusal_.append(refusal->value.GetString(), refusal->value.GetStringLength());
    }
    const auto toolCalls = fields.FindMember("tool_calls");
    if (toolCalls != fields.MemberEnd()) toolCalls_.add(toolCalls->value);
  }

  // After the delta: the finish chunk completes the calls that delta carried too.
  const auto finish = choice.FindMember("finish_reason");
  if (finish != choice.MemberEnd() && finish->value.IsString()) {
    finished_ = true;
    finishReason_.assign(finish->value.GetString(), finish->value.GetStringLength());
    toolCalls_.finish();
  }
  const bool output =
      !lastContent().empty() || !lastReasoning().empty() || toolCalls_.hasComplete();
  return output ? Step::Content : Step::Continue;
}

}  // namespace agent::bitrouter
