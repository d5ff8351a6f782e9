// HttpRequest: one parsed HTTP/1.x request, as HttpRequestReader produced it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "RecordedRequest.hpp"

namespace agent::standin {

struct HttpRequest {
  std::string method;
  std::string target;  // as sent, with any query string
  std::string path;    // target without the query string
  bool http10 = false;
  HeaderMap headers;
  std::string body;
  bool keepAlive = true;      // the client allows another request on this connection
  bool bodyTooLarge = false;  // body exceeded the 16 MiB cap and was discarded
  std::chrono::steady_clock::time_point receivedAt;

  /// The header's value, or "" when absent.
  const std::string& header(std::string_view name) const {
    static const std::string kEmpty;
    auto it = headers.find(name);
    return it == headers.end() ? kEmpty : it->second;
  }
  bool hasHeader(std::string_view name) const { return headers.find(name) != headers.end(); }
};

}  // namespace agent::standin
