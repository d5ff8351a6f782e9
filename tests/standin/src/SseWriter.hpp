// SseWriter: a text/event-stream response, one chunk per frame, each sent the moment it is ready.
//
// Framing: `data: <json>\n\n` frames, `:keepalive\n\n` comments when no frame
// went out for the keepalive interval, chunked transfer encoding (HTTP/1.0 clients get the raw
// stream and a closed connection instead).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "SocketChannel.hpp"

namespace agent::standin {

class SseWriter {
 public:
  SseWriter(SocketChannel& channel, bool chunked, std::chrono::milliseconds keepaliveInterval)
      : channel_(channel), chunked_(chunked), keepaliveInterval_(keepaliveInterval) {}

  /// 200 with Content-Type: text/event-stream and Cache-Control: no-cache (+ `extraHeaders`).
  bool start(const std::vector<std::pair<std::string, std::string>>& extraHeaders);
  bool data(std::string_view json);  // one `data: ...` frame
  bool comment(std::string_view text = "keepalive");
  /// Waits `delay`, sending keepalive comments whenever the stream has been idle that long.
  bool pause(std::chrono::milliseconds delay);
  /// The terminating zero-length chunk: the response is complete and the connection reusable.
  bool finish();

 private:
  // One chunk holding prefix + body + suffix, sent with a single write.
  bool emit(std::string_view prefix, std::string_view body, std::string_view suffix);

  SocketChannel& channel_;
  const bool chunked_;
  const std::chrono::milliseconds keepaliveInterval_;
  std::chrono::steady_clock::time_point lastWrite_ = std::chrono::steady_clock::now();
  std::string scratch_;
};

}  // namespace agent::standin
