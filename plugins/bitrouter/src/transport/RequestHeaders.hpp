// RequestHeaders: the HTTP request line and headers the plugin sends.
//
// HTTP/1.1 (Poco's default is 1.0, which disables keep-alive), keep-alive on, a fresh
// x-bitrouter-request-id per attempt, and Authorization only when a key is set: with no key
// BitRouter must run with skip_auth, and sending a placeholder would only confuse its logs.
// A pooled connection keeps its chat request: only the request id, the length and Accept change
// from call to call, so they are rewritten in place instead of building seven headers anew.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <Poco/Net/HTTPRequest.h>

#include "agent/bitrouter/BitRouterConfig.hpp"

namespace agent::bitrouter {

class RequestHeaders {
 public:
  static constexpr std::string_view kChatPath = "/v1/chat/completions";
  static constexpr std::string_view kModelsPath = "/v1/models";
  static constexpr const char* kRequestIdHeader = "x-bitrouter-request-id";

  /// POST {prefix}/v1/chat/completions with a JSON body of `contentLength` bytes.
  static Poco::Net::HTTPRequest chat(const BitRouterConfig& config, std::string_view requestId,
                                     bool stream, std::size_t contentLength);
  /// The same, written into `request`; a request this function filled before is only updated.
  static void chat(Poco::Net::HTTPRequest& request, const BitRouterConfig& config,
                   const std::string& requestId, bool stream, std::size_t contentLength);

  /// GET {prefix}/v1/models (init's reachability probe).
  static Poco::Net::HTTPRequest models(const BitRouterConfig& config, std::string_view requestId);
  static void models(Poco::Net::HTTPRequest& request, const BitRouterConfig& config,
                     std::string_view requestId);

  static std::string_view userAgent() noexcept;
};

}  // namespace agent::bitrouter
