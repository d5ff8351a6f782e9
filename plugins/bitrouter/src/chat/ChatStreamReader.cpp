#include "chat/ChatStreamReader.hpp"

#include <algorithm>
#include <any>
#include <exception>

#include "errors/TextExcerpt.hpp"

namespace agent::bitrouter {
namespace {

constexpr std::chrono::milliseconds kDrainTimeout{2000};
constexpr std::size_t kDrainLimit = 64 * 1024;

}  // namespace

StreamAccumulator& ChatStreamReader::accumulatorIn(CallBuffers& buffers) {
  if (auto* kept = std::any_cast<StreamAccumulator>(&buffers.protocol)) return *kept;
  return buffers.protocol.emplace<StreamAccumulator>();
}

bool ChatStreamReader::drain() {
  std::size_t drained = 0;
  while (drained <= kDrainLimit) {
    const ReadResult read = transport_.read(kDrainTimeout);
    if (read.status == ReadResult::Status::End) return !read.cut;
    if (read.status != ReadResult::Status::Data) return false;
    drained += read.data.size();
  }
  return false;
}

ChatStreamReader::Result ChatStreamReader::run(const GenerateTextParams& params,
                                               const ToolArgumentCheck& toolCheck) {
  parser_.reset();
  stream_.reset();

  Result result;
  bool stop = false;
  auto onEvent = [&](const SseEvent& event) {
    switch (stream_.onData(event.data, redactor_)) {
      case StreamAccumulator::Step::Continue:
        return true;
      case StreamAccumulator::Step::Done:
        result.end = stream_.finished() ? End::Finished : End::Truncated;
        stop = true;
        return false;
      case StreamAccumulator::Step::Error:
        result.end = End::ErrorFrame;
        stop = true;
        return false;
      case StreamAccumulator::Step::Malformed:
        result.end = End::Malformed;
        stop = true;
        return false;
      case StreamAccumulator::Step::Content:
        break;
    }
    if (stream_.outputBytes() > limits_.maxBytes) {
      result.end = End::TooLarge;
      stop = true;
      return false;
    }
    try {
      bool keepGoing = true;
      const std::string_view reasoning = stream_.lastReasoning();
      if (!result.firstChunk && (!reasoning.empty() || !stream_.lastContent().empty())) {
        result.firstChunk = std::chrono::steady_clock::now();
      }
      if (!reasoning.empty() && params.onReasoningChunk) {
        keepGoing = params.onReasoningChunk(reasoning);
      }
      const std::string_view content = stream_.lastContent();
      if (keepGoing && !content.empty()) {
        keepGoing = !params.onChunk || params.onChunk(content);
        result.delivered = stream_.deliveredText();
      }
      while (keepGoing) {
        ToolCall* call = stream_.toolCalls().nextComplete();
        if (call == nullptr) break;
        toolCheck.check(*call);
        if (params.onToolCall) keepGoing = params.onToolCall(*call);
      }
      if (keepGoing) return true;
      result.end = End::Cancelled;
    } catch (const std::exception& error) {
      result.end = End::CallbackFailed;
      result.detail = textExcerpt(redactor_.apply(error.what()), 160);
    } catch (...) {
      result.end = End::CallbackFailed;
      result.detail = "an unknown exception";
    }
    stop = true;
    return false;
  };

  while (!stop) {
    const ReadResult read = transport_.read(limits_.idleTimeout);
    switch (read.status) {
      case ReadResult::Status::Data:
        break;
      case ReadResult::Status::End:
        // The end of the body, or a connection cut before it: only a finish_reason is success.
        result.end = stream_.finished() ? End::Finished : End::Truncated;
        return result;
      case ReadResult::Status::IdleTimeout:
        result.end = End::IdleTimeout;
        return result;
      case ReadResult::Status::Stopped:
        result.end = End::Stopped;
        return result;
      case ReadResult::Status::Failed:
        result.end = End::ReadFailed;
        result.detail = read.detail;
        return result;
    }
    parser_.feed(read.data, onEvent);
    if (!stop && parser_.pendingBytes() > limits_.maxBytes) {
      result.end = End::TooLarge;
      return result;
    }
  }
  if (stream_.sawDone()) result.clean = drain();
  return result;
}

}  // namespace agent::bitrouter
