// RequestHead: the request line and headers the plugin sends, as bytes.
//
// HTTP/1.1 with keep-alive, a fresh x-bitrouter-request-id per attempt, the call's W3C
// `traceparent` (so a traced BitRouter or proxy joins the agent's trace), and Authorization only
// when a key is set: with no key BitRouter must run with skip_auth, and sending a placeholder
// would only confuse its logs. Everything but Accept, the request id, the trace and the length is
// the same for every request of a client, so it is written once (when the client is made); each
// request copies it into its connection's buffer, whose capacity is kept, and appends the rest.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "agent/bitrouter/BitRouterConfig.hpp"

namespace agent::bitrouter {

class RequestHead {
 public:
  static constexpr std::string_view kChatPath = "/v1/chat/completions";
  static constexpr std::string_view kModelsPath = "/v1/models";
  static constexpr std::string_view kRequestIdHeader = "x-bitrouter-request-id";

  explicit RequestHead(const BitRouterConfig& config);

  /// POST {prefix}/v1/chat/completions with a JSON body of `contentLength` bytes, into `out`; an
  /// empty `traceparent` sends no such header.
  void chat(std::string& out, std::string_view requestId, std::string_view traceparent, bool stream,
            std::size_t contentLength) const;
  /// GET {prefix}/v1/models (init's reachability probe), into `out`.
  void models(std::string& out, std::string_view requestId) const;

  static std::string_view userAgent() noexcept;

 private:
  std::string chat_;  // request line and the fixed headers
  std::string models_;
};

}  // namespace agent::bitrouter
