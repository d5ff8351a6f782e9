// HttpResponse: a complete (non-streaming) response before it is written to the wire.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace agent::standin {

struct HttpResponse {
  int status = 200;
  // Header names are written as given (lowercase, like BitRouter's hyper). content-length is added
  // by the writer.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static HttpResponse json(int status, std::string body) {
    return {status, {{"content-type", "application/json"}}, std::move(body)};
  }
  static HttpResponse plainText(int status, std::string body) {
    return {status, {{"content-type", "text/plain; charset=utf-8"}}, std::move(body)};
  }
  static HttpResponse empty(int status) { return {status, {}, {}}; }
};

}  // namespace agent::standin
