// SseParser: Server-Sent Events, as a Streamable HTTP answer carries JSON-RPC messages: the
// `data` lines of each event joined, with the event's `id` (for Last-Event-ID when the stream
// breaks) and the server's `retry` delay.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace agent::mcp {

class SseParser {
 public:
  /// Called with each complete event's type ("message" by default) and data.
  using OnEvent = std::function<void(const std::string& type, const std::string& data)>;

  explicit SseParser(OnEvent onEvent) : onEvent_(std::move(onEvent)) {}

  /// Feeds one line (without its line ending).
  void line(std::string_view line);

  const std::string& lastEventId() const noexcept { return lastEventId_; }
  std::optional<int> retryMs() const noexcept { return retryMs_; }

 private:
  OnEvent onEvent_;
  std::string type_;
  std::string data_;
  bool hasData_ = false;
  std::string lastEventId_;
  std::optional<int> retryMs_;
};

}  // namespace agent::mcp
