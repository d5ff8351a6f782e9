#include "SseWriter.hpp"

#include <cstdio>

#include "ResponseWriter.hpp"

namespace agent::standin {

bool SseWriter::start(const std::vector<std::pair<std::string, std::string>>& extraHeaders) {
  std::vector<std::pair<std::string, std::string>> headers{{"content-type", "text/event-stream"},
                                                           {"cache-control", "no-cache"}};
  if (chunked_) headers.emplace_back("transfer-encoding", "chunked");
  ResponseWriter::overrideHeaders(headers, extraHeaders);
  // Without chunking the end of the stream is the end of the connection.
  std::string head = ResponseWriter::head(200, headers, 0, chunked_, false);
  if (!channel_.send(head)) return false;
  lastWrite_ = std::chrono::steady_clock::now();
  return true;
}

bool SseWriter::emit(std::string_view prefix, std::string_view body, std::string_view suffix) {
  const std::size_t size = prefix.size() + body.size() + suffix.size();
  scratch_.clear();
  if (chunked_) {
    char hex[20];
    int n = std::snprintf(hex, sizeof hex, "%zx\r\n", size);
    scratch_.append(hex, static_cast<std::size_t>(n));
  }
  scratch_.append(prefix).append(body).append(suffix);
  if (chunked_) scratch_.append("\r\n");
  if (!channel_.send(scratch_)) return false;
  lastWrite_ = std::chrono::steady_clock::now();
  return true;
}

bool SseWriter::data(std::string_view json) {
  return emit("data: ", json, "\n\n");
}

bool SseWriter::comment(std::string_view text) {
  return emit(":", text, "\n\n");
}

bool SseWriter::pause(std::chrono::milliseconds delay) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + delay;
  for (;;) {
    auto now = Clock::now();
    if (now >= deadline) return !channel_.state().stopping();
    auto nextKeepalive = lastWrite_ + keepaliveInterval_;
    if (keepaliveInterval_.count() > 0 && nextKeepalive < deadline) {
      auto wait = std::chrono::ceil<std::chrono::milliseconds>(nextKeepalive - now);
      if (!channel_.pause(wait)) return false;
      if (!comment()) return false;
    } else {
      return channel_.pause(std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
    }
  }
}

bool SseWriter::finish() {
  return !chunked_ || channel_.send("0\r\n\r\n");
}

}  // namespace agent::standin
