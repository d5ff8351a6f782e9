// HttpRequestReader: reads HTTP/1.x requests off one connection, one after another (keep-alive).
//
// The stand-in owns the bytes on the wire (so it can drop, trickle or cut responses), hence its own
// small parser: request line, headers, Content-Length body. Chunked request bodies are refused
// (411); BitRouter clients send Content-Length.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include <Poco/Net/StreamSocket.h>

#include "HttpRequest.hpp"

namespace agent::standin {

class HttpRequestReader {
 public:
  enum class Result {
    Request,         // `request` holds the next request
    Closed,          // the peer closed (or the server is stopping) between requests
    Malformed,       // unparseable request line or headers: answer 400 and close
    HeadTooLarge,    // request line + headers over kMaxHeadBytes: answer 431 and close
    LengthRequired,  // chunked request body: answer 411 and close
    BodyTooLarge,    // body over the cap and too large to drain: answer 413 and close
  };

  static constexpr std::size_t kMaxHeadBytes = 64 * 1024;
  static constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;   // BitRouter's DefaultBodyLimit
  static constexpr std::size_t kMaxDrainBytes = 64 * 1024 * 1024;  // beyond: 413 without reading

  explicit HttpRequestReader(Poco::Net::StreamSocket& socket) : socket_(socket) {}

  /// Blocks until a whole request arrived; a body over 16 MiB (but under the drain limit) is read
  /// and discarded and reported through `request.bodyTooLarge`.
  Result read(HttpRequest& request);

 private:
  bool fill();  // appends received bytes to buffer_; false on EOF
  Result parseHead(std::string_view head, HttpRequest& request) const;
  bool readBody(std::size_t length, HttpRequest& request);
  bool discardBody(std::size_t length);

  Poco::Net::StreamSocket& socket_;
  std::string buffer_;  // received but not yet consumed bytes
  std::array<char, 16 * 1024> scratch_;
};

}  // namespace agent::standin
