// FloorRequest: the bytes of one chat request, built once, for the raw HTTP floor.
//
// The body is the one the BitRouter plugin sends for the same model and prompt (same keys, same
// order: model, messages, then stream), and the headers are the plugin's (Connection, User-Agent,
// x-bitrouter-request-id, Content-Type, Content-Length, Accept, Host). Per request only the
// request id changes, and it is rewritten in place: the floor does the least work an HTTP
// client can do for this call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace agent::bench {

class FloorRequest {
 public:
  /// `target` is the request path, e.g. "/v1/chat/completions"; `host` the Host header value.
  FloorRequest(std::string_view target, std::string_view host, std::string_view model,
               std::string_view prompt, bool stream);

  /// The chat body the plugin writes for a one-prompt call without options.
  static std::string chatBody(std::string_view model, std::string_view prompt, bool stream);

  /// Writes a fresh UUID-shaped request id (from `worker` and `sequence`) into the bytes.
  void stampRequestId(std::uint32_t worker, std::uint64_t sequence) noexcept;

  std::string_view bytes() const noexcept { return bytes_; }

 private:
  std::string bytes_;
  std::size_t idOffset_ = 0;  // where the 36-character request id starts
};

}  // namespace agent::bench
