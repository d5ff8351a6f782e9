#include "transport/RequestHeaders.hpp"

#include <string>

#include <Poco/Net/HTTPMessage.h>

namespace agent::bitrouter {
namespace {

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

Poco::Net::HTTPRequest RequestHeaders::chat(const BitRouterConfig& config,
                                            std::string_view requestId, bool stream,
                                            std::size_t contentLength) {
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                 config.baseUrl.target(kChatPath),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  common(request, config, requestId);
  request.setContentType("application/json");
  request.setContentLength64(static_cast<Poco::Int64>(contentLength));
  request.set("Accept", stream ? "text/event-stream" : "application/json");
  return request;
}

Poco::Net::HTTPRequest RequestHeaders::models(const BitRouterConfig& config,
                                              std::string_view requestId) {
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                 config.baseUrl.target(kModelsPath),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  common(request, config, requestId);
  request.set("Accept", "application/json");
  return request;
}

}  // namespace agent::bitrouter
