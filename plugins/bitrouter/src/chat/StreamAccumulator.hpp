// StreamAccumulator: the meaning of each SSE data payload of a chat completion stream.
//
// Collects content deltas into the whole text, reasoning deltas (`reasoning_content` or
// `reasoning`) into the reasoning, refusal deltas into the refusal, tool-call deltas into whole
// calls (ToolCallAccumulator), remembers the finish reason (its absence means the reply was cut),
// picks up usage should a chunk carry one, and recognises the mid-stream {"error": ...} frame and
// the [DONE] sentinel. Each frame is parsed in place with stack-backed
// allocators, so typical frames cost no heap allocation. A surrogate pair split across two
// frames is joined (SplitSurrogates).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/ModelResult.hpp"
#include "chat/ErrorEnvelopeParser.hpp"
#include "chat/ToolCallAccumulator.hpp"
#include "config/Redactor.hpp"

namespace agent::bitrouter {

class StreamAccumulator {
 public:
  enum class Step {
    Continue,   // nothing for the caller (role-only delta, refusal, usage)
    Content,    // new output: lastContent(), lastReasoning(), toolCalls().nextComplete()
    Done,       // data: [DONE]
    Error,      // a mid-stream error frame: error()
    Malformed,  // not JSON, or not an object: problem()
  };

  /// Prepares for a new stream, keeping buffer capacity.
  void reset() noexcept;

  Step onData(std::string_view data, const Redactor& redactor = Redactor());

  /// This frame's text and reasoning (empty when it carried none). Half a surrogate pair split
  /// across frames is handed out with its other half, in the next frame's.
  std::string_view lastContent() const noexcept;
  std::string_view lastReasoning() const noexcept;
  /// How much of text() the frames so far have handed out.
  std::size_t deliveredText() const noexcept { return ready(text_); }
  bool finished() const noexcept { return finished_; }
  bool sawDone() const noexcept { return done_; }
  const std::string& text() const noexcept { return text_; }
  std::string takeText() noexcept { return std::move(text_); }
  const std::string& reasoning() const noexcept { return reasoning_; }
  std::string takeReasoning() noexcept { return std::move(reasoning_); }
  const std::string& refusal() const noexcept { return refusal_; }
  ToolCallAccumulator& toolCalls() noexcept { return toolCalls_; }
  const ToolCallAccumulator& toolCalls() const noexcept { return toolCalls_; }
  /// Everything held so far (text, reasoning, refusal, tool calls), for the response limit.
  std::size_t outputBytes() const noexcept {
    return text_.size() + reasoning_.size() + refusal_.size() + toolCalls_.bytes();
  }
  const std::string& finishReason() const noexcept { return finishReason_; }
  const std::optional<TokenUsage>& usage() const noexcept { return usage_; }
  /// The completion's "id" and "model", from the first frame that carried them.
  const std::string& id() const noexcept { return id_; }
  const std::string& model() const noexcept { return model_; }
  const ErrorEnvelope& error() const noexcept { return error_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::size_t ready(std::string_view text) const noexcept;

  std::string scratch_;  // the frame being parsed in place; capacity is reused
  std::string text_;
  std::size_t lastContentStart_ = 0;
  std::string reasoning_;
  std::size_t lastReasoningStart_ = 0;
  std::string refusal_;
  ToolCallAccumulator toolCalls_;
  std::string finishReason_;
  std::optional<TokenUsage> usage_;
  std::string id_;
  std::string model_;
  ErrorEnvelope error_;
  std::string problem_;
  bool finished_ = false;
  bool done_ = false;
};

}  // namespace agent::bitrouter
