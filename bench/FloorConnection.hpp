// FloorConnection: one blocking keep-alive HTTP/1.1 connection over a plain POSIX socket.
//
// The floor's whole client: write the request in one send(), read the response head, then the
// body by Content-Length or by chunked framing (an SSE stream), and keep the connection for the
// next request. No streams, no header maps, no allocation per request once the buffer has grown.
// A kept-alive connection the server closed is reopened once, as any keep-alive client must.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace agent::bench {

class FloorConnection {
 public:
  FloorConnection(const sockaddr_storage& address, socklen_t addressLength);
  ~FloorConnection();
  FloorConnection(const FloorConnection&) = delete;
  FloorConnection& operator=(const FloorConnection&) = delete;

  /// Sends `request` and reads its whole response. True for a 200 response read to its end
  /// (with `expectDone`, a body that carried the SSE "[DONE]" sentinel); otherwise false with
  /// one line in `error`.
  bool exchange(std::string_view request, bool expectDone, std::string& error);

 private:
  enum class Read { Ok, Closed, Failed };

  bool connect(std::string& error);
  void close() noexcept;
  bool sendAll(std::string_view bytes);
  Read fill();  // one recv() into the buffer (compacting or growing it first when full)
  // Reads until `pattern` appears at or after `from`; its position, or npos.
  std::size_t readUntil(std::string_view pattern, std::size_t from, Read& status);
  bool readAtLeast(std::size_t bytes, Read& status);  // bytes available after begin_
  Read readResponse(bool expectDone, std::string& error);

  sockaddr_storage address_;
  socklen_t addressLength_;
  int fd_ = -1;
  std::size_t exchanges_ = 0;  // on the current connection
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are [begin_, end_)
  std::size_t end_ = 0;
};

}  // namespace agent::bench
