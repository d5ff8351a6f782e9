// SseParser: Server-Sent Events framing of a text/event-stream body, fed arbitrary byte chunks.
//
// It is HTTP body framing, so it sits with the transport, below the chat protocol that reads the
// events' data; it holds no socket and can be fed from anywhere (tests, fuzzing, benchmarks).
//
// Follows the WHATWG event-stream rules: lines end in LF, CRLF or CR (a CR LF pair may be split
// across chunks); a blank line dispatches the event; lines starting with ':' are comments
// (BitRouter's ":keepalive"); multi-line data is joined with '\n'; fields other than data, event
// and id are ignored; a leading UTF-8 BOM is skipped. Buffers are reused from event to event, so
// steady-state parsing does not allocate.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace agent::bitrouter {

/// One dispatched event. The views are valid only during the callback.
struct SseEvent {
  std::string_view type;  // the "event" field; empty means "message"
  std::string_view data;
  std::string_view id;
};

/// The first CR or LF in `bytes` (npos when none): two memchr scans instead of
/// find_first_of's one memchr per byte.
inline std::size_t findLineEnd(std::string_view bytes) noexcept {
  const char* begin = bytes.data();
  const void* lf = std::memchr(begin, '\n', bytes.size());
  const std::size_t limit =
      lf != nullptr ? static_cast<std::size_t>(static_cast<const char*>(lf) - begin) : bytes.size();
  const void* cr = std::memchr(begin, '\r', limit);
  if (cr != nullptr) return static_cast<std::size_t>(static_cast<const char*>(cr) - begin);
  return lf != nullptr ? limit : std::string_view::npos;
}

class SseParser {
 public:
  /// Feeds the next bytes. Calls onEvent(const SseEvent&) for each complete event; onEvent
  /// returns false to stop, in which case feed() returns false and the rest of `bytes` is
  /// dropped.
  template <class OnEvent>
  bool feed(std::string_view bytes, OnEvent&& onEvent);

  /// Forgets any partial line or event (for the next stream on a reused buffer).
  void reset() noexcept;

  /// Bytes held for an incomplete line or event (to bound memory on hostile streams).
  std::size_t pendingBytes() const noexcept { return line_.size() + data_.size(); }

 private:
  enum class LineResult { Continue, Stop };

  // Handles one complete line (without its terminator).
  template <class OnEvent>
  LineResult processLine(std::string_view line, OnEvent& onEvent);

  void processField(std::string_view line);

  std::string line_;  // an incomplete line carried over from the previous chunk
  std::string data_;  // data lines of the current event, each followed by '\n'
  std::string type_;
  std::string id_;
  bool hasData_ = false;
  bool afterCr_ = false;     // the previous chunk ended in CR: a leading LF belongs to it
  bool started_ = false;     // the BOM check is done
  std::size_t bomSeen_ = 0;  // BOM bytes matched so far
};

template <class OnEvent>
bool SseParser::feed(std::string_view bytes, OnEvent&& onEvent) {
  if (!started_) {
    // A leading BOM is skipped even when it arrives split across chunks.
    static constexpr std::string_view kBom = "\xEF\xBB\xBF";
    std::size_t matched = 0;
    while (matched < bytes.size() && bomSeen_ < kBom.size() && bytes[matched] == kBom[bomSeen_]) {
      ++matched;
      ++bomSeen_;
    }
    if (bomSeen_ == kBom.size()) {
      started_ = true;
      bytes.remove_prefix(matched);
    } else if (matched == bytes.size()) {
      return true;  // still a possible BOM: wait for more
    } else {
      // Not a BOM: the bytes held from earlier chunks are ordinary line content.
      started_ = true;
      line_.append(kBom.substr(0, bomSeen_ - matched));
    }
  }

  if (afterCr_ && !bytes.empty()) {
    afterCr_ = false;
    if (bytes.front() == '\n') bytes.remove_prefix(1);
  }
  while (!bytes.empty()) {
    const std::size_t end = findLineEnd(bytes);
    if (end == std::string_view::npos) {
      line_.append(bytes);
      return true;
    }
    LineResult result;
    if (line_.empty()) {
      result = processLine(bytes.substr(0, end), onEvent);  // whole line in this chunk: no copy
    } else {
      line_.append(bytes.substr(0, end));
      result = processLine(line_, onEvent);
      line_.clear();
    }
    const bool cr = bytes[end] == '\r';
    bytes.remove_prefix(end + 1);
    if (cr) {
      if (bytes.empty()) {
        afterCr_ = true;
      } else if (bytes.front() == '\n') {
        bytes.remove_prefix(1);
      }
    }
    if (result == LineResult::Stop) return false;
  }
  return true;
}

template <class OnEvent>
SseParser::LineResult SseParser::processLine(std::string_view line, OnEvent& onEvent) {
  if (!line.empty()) {
    processField(line);
    return LineResult::Continue;
  }
  if (!hasData_) {
    type_.clear();
    return LineResult::Continue;
  }
  std::string_view data = data_;
  data.remove_suffix(1);  // the '\n' after the last data line
  const bool keepGoing = onEvent(SseEvent{type_, data, id_});
  data_.clear();
  type_.clear();
  hasData_ = false;
  return keepGoing ? LineResult::Continue : LineResult::Stop;
}

}  // namespace agent::bitrouter
