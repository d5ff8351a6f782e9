// ResponseWriter: puts a complete HttpResponse on the wire (Content-Length framing), optionally
// with the body-level faults of a script: trickled bytes, or a body cut short.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "HttpResponse.hpp"
#include "ResponseScript.hpp"
#include "SocketChannel.hpp"

namespace agent::standin {

class ResponseWriter {
 public:
  /// Status line and headers, ending with the blank line. Adds content-length (unless
  /// `contentLength` is false) and "connection: close" when the connection will not be reused.
  static std::string head(int status,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          std::size_t bodySize, bool keepAlive, bool contentLength = true);

  /// Writes `response`; returns whether the connection can carry another request.
  static bool write(SocketChannel& channel, const HttpResponse& response, bool keepAlive);

  /// Same, with the script's header overrides and trickle / drop-mid-body faults.
  static bool writeScripted(SocketChannel& channel, HttpResponse response, bool keepAlive,
                            const ResponseScript& script);

  /// Applies a script's headers: same name (any case) replaces, empty value removes.
  static void overrideHeaders(std::vector<std::pair<std::string, std::string>>& headers,
                              const std::vector<std::pair<std::string, std::string>>& overrides);

  static std::string_view reasonPhrase(int status);
};

}  // namespace agent::standin
