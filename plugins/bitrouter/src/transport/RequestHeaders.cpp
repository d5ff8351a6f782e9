#include "transport/RequestHeaders.hpp"

#include <Poco/Net/HTTPMessage.h>

namespace agent::bitrouter {
namespace {

// Longer than the small-string buffer: made once, so setting them does not allocate.
const std::string kAcceptJson = "application/json";
const std::string kAcceptEventStream = "text/event-stream";

void common(Poco::Net::HTTPRequest& request, const BitRouterConfig& config,
            std::string_view requestId) {
  request.setKeepAlive(true);
  request.set("User-Agent", std::string(RequestHeaders::userAgent()));
  request.set(RequestHeaders::kRequestIdHeader, std::string(requestId));
  if (config.hasApiKey()) request.set("Authorization", "Bearer " + config.apiKey);
}

}  // namespace

std::string_view RequestHeaders::userAgent() noexcept {
  return "agent-host-bitrouter/" AGENT_BITROUTER_VERSION;
}

void RequestHeaders::chat(Poco::Net::HTTPRequest& request, const BitRouterConfig& config,
                          const std::string& requestId, bool stream, std::size_t contentLength) {
  static const std::string kRequestId = kRequestIdHeader;
  static const std::string kAccept = "Accept";
  if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
    request =
        Poco::Net::HTTPRequest(Poco::Net::HTTPRequest::HTTP_POST, config.baseUrl.target(kChatPath),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    common(request, config, requestId);
    request.setContentType(kAcceptJson);
  }
  request.set(kRequestId, requestId);
  request.setContentLength64(static_cast<Poco::Int64>(contentLength));
  request.set(kAccept, stream ? kAcceptEventStream : kAcceptJson);
}

Poco::Net::HTTPRequest RequestHeaders::chat(const BitRouterConfig& config,
                                            std::string_view requestId, bool stream,
                                            std::size_t contentLength) {
  Poco::Net::HTTPRequest request;
  chat(request, config, std::string(requestId), stream, contentLength);
  return request;
}

void RequestHeaders::models(Poco::Net::HTTPRequest& request, const BitRouterConfig& config,
                            std::string_view requestId) {
  request =
      Poco::Net::HTTPRequest(Poco::Net::HTTPRequest::HTTP_GET, config.baseUrl.target(kModelsPath),
                             Poco::Net::HTTPMessage::HTTP_1_1);
  common(request, config, requestId);
  request.set("Accept", kAcceptJson);
}

Poco::Net::HTTPRequest RequestHeaders::models(const BitRouterConfig& config,
                                              std::string_view requestId) {
  Poco::Net::HTTPRequest request;
  models(request, config, requestId);
  return request;
}

}  // namespace agent::bitrouter
