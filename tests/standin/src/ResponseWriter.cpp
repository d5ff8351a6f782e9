#include "ResponseWriter.hpp"

#include <algorithm>

#include "RecordedRequest.hpp"

namespace agent::standin {

std::string_view ResponseWriter::reasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

std::string ResponseWriter::head(int status,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 std::size_t bodySize, bool keepAlive, bool contentLength) {
  std::string out;
  out.reserve(160);
  out.append("HTTP/1.1 ").append(std::to_string(status)).append(" ");
  out.append(reasonPhrase(status)).append("\r\n");
  for (const auto& [name, value] : headers)
    out.append(name).append(": ").append(value).append("\r\n");
  if (contentLength) out.append("content-length: ").append(std::to_string(bodySize)).append("\r\n");
  if (!keepAlive) out.append("connection: close\r\n");
  out.append("\r\n");
  return out;
}

bool ResponseWriter::write(SocketChannel& channel, const HttpResponse& response, bool keepAlive) {
  std::string bytes = head(response.status, response.headers, response.body.size(), keepAlive);
  bytes.append(response.body);
  return channel.send(bytes) && keepAlive;
}

void ResponseWriter::overrideHeaders(
    std::vector<std::pair<std::string, std::string>>& headers,
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  CaseInsensitiveLess less;
  for (const auto& [name, value] : overrides) {
    std::erase_if(headers, [&](const auto& header) {
      return !less(header.first, name) && !less(name, header.first);
    });
    if (!value.empty()) headers.emplace_back(name, value);
  }
}

bool ResponseWriter::writeScripted(SocketChannel& channel, HttpResponse response, bool keepAlive,
                                   const ResponseScript& script) {
  if (script.contentType) {
    overrideHeaders(response.headers, {{"content-type", *script.contentType}});
  }
  overrideHeaders(response.headers, script.headers);
  std::string headBytes = head(response.status, response.headers, response.body.size(), keepAlive);

  if (script.dropMidBody) {
    // Content-Length promises the whole body; deliver about half of it, then hang up.
    std::string bytes = headBytes + response.body.substr(0, response.body.size() / 2);
    if (script.trickleHeaders) {
      channel.trickle(bytes, 1, script.trickleDelay);
    } else {
      channel.send(bytes);
    }
    channel.shutdown();
    return false;
  }
  if (script.trickleHeaders) {
    if (!channel.trickle(headBytes, 1, script.trickleDelay)) return false;
    if (!channel.trickle(response.body, 16, script.trickleDelay)) return false;
    return keepAlive;
  }
  return channel.send(headBytes + response.body) && keepAlive;
}

}  // namespace agent::standin
