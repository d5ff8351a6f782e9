#include "transport/RequestHead.hpp"

#include <charconv>

namespace agent::bitrouter {
namespace {

// The Host header: the port only when it is not the scheme's own, an IPv6 address in brackets.
std::string hostHeader(const BaseUrl& url) {
  std::string host = url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
  const std::uint16_t standard = url.https() ? 443 : 80;
  if (url.port != standard) host += ":" + std::to_string(url.port);
  return host;
}

std::string fixedPart(const BitRouterConfig& config, std::string_view method,
                      std::string_view path) {
  std::string head;
  head.append(method).append(" ").append(config.baseUrl.target(path)).append(" HTTP/1.1\r\n");
  head.append("Host: ").append(hostHeader(config.baseUrl)).append("\r\n");
  head.append("Connection: Keep-Alive\r\n");
  head.append("User-Agent: ").append(RequestHead::userAgent()).append("\r\n");
  if (config.hasApiKey())
    head.append("Authorization: Bearer ").append(config.apiKey).append("\r\n");
  return head;
}

void appendId(std::string& out, std::string_view requestId) {
  out.append(RequestHead::kRequestIdHeader).append(": ").append(requestId).append("\r\n");
}

}  // namespace

RequestHead::RequestHead(const BitRouterConfig& config)
    : chat_(fixedPart(config, "POST", kChatPath)), models_(fixedPart(config, "GET", kModelsPath)) {
  chat_.append("Content-Type: application/json\r\n");
  models_.append("Accept: application/json\r\n");
}

std::string_view RequestHead::userAgent() noexcept {
  return "agent-host-bitrouter/" AGENT_BITROUTER_VERSION;
}

void RequestHead::chat(std::string& out, std::string_view requestId, std::string_view traceparent,
                       bool stream, std::size_t contentLength) const {
  out.assign(chat_);
  out.append(stream ? "Accept: text/event-stream\r\n" : "Accept: application/json\r\n");
  appendId(out, requestId);
  if (!traceparent.empty()) out.append("traceparent: ").append(traceparent).append("\r\n");
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, contentLength).ptr;
  out.append("Content-Length: ").append(digits, end).append("\r\n\r\n");
}

void RequestHead::models(std::string& out, std::string_view requestId) const {
  out.assign(models_);
  appendId(out, requestId);
  out.append("\r\n");
}

}  // namespace agent::bitrouter
