// StreamAccumulator: the meaning of each SSE data payload of a chat completion stream.
//
// Collects content deltas into the whole text, remembers the finish reason (its absence means
// the reply was cut), picks up usage should a chunk carry one, and recognises the mid-stream
// {"error": ...} frame and the [DONE] sentinel. Each frame is parsed in place with stack-backed
// allocators, so typical frames cost no heap allocation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/ModelResult.hpp"
#include "chat/ErrorEnvelopeParser.hpp"
#include "config/Redactor.hpp"

namespace agent::bitrouter {

class StreamAccumulator {
 public:
  enum class Step {
    Continue,   // nothing for the caller (role-only delta, keepalive-like frame, usage)
    Content,    // new text: lastContent()
    Done,       // data: [DONE]
    Error,      // a mid-stream error frame: error()
    Malformed,  // not JSON, or not an object: problem()
  };

  /// Prepares for a new stream, keeping buffer capacity.
  void reset() noexcept;

  Step onData(std::string_view data, const Redactor& redactor = Redactor());

  std::string_view lastContent() const noexcept;
  bool finished() const noexcept { return finished_; }
  bool sawDone() const noexcept { return done_; }
  const std::string& text() const noexcept { return text_; }
  std::string takeText() noexcept { return std::move(text_); }
  const std::string& finishReason() const noexcept { return finishReason_; }
  const std::optional<TokenUsage>& usage() const noexcept { return usage_; }
  const ErrorEnvelope& error() const noexcept { return error_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::string scratch_;  // the frame being parsed in place; capacity is reused
  std::string text_;
  std::size_t lastContentStart_ = 0;
  std::string finishReason_;
  std::optional<TokenUsage> usage_;
  ErrorEnvelope error_;
  std::string problem_;
  bool finished_ = false;
  bool done_ = false;
};

}  // namespace agent::bitrouter
