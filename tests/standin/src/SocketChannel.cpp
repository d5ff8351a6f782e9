#include "SocketChannel.hpp"

#include <algorithm>
#include <array>

#include <sys/socket.h>

#include <Poco/Timespan.h>

namespace agent::standin {

bool SocketChannel::send(std::string_view bytes) {
  if (state_.stopping()) return false;
  try {
    while (!bytes.empty()) {
      // MSG_NOSIGNAL: a client that hung up must not SIGPIPE the test process hosting us.
      int sent = socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  } catch (...) {  // EPIPE, reset, or shut down by stop()
    return false;
  }
}

bool SocketChannel::trickle(std::string_view bytes, std::size_t pieceSize,
                            std::chrono::milliseconds delay) {
  pieceSize = std::max<std::size_t>(pieceSize, 1);
  while (!bytes.empty()) {
    std::size_t n = std::min(pieceSize, bytes.size());
    if (!send(bytes.substr(0, n))) return false;
    bytes.remove_prefix(n);
    if (!bytes.empty() && !pause(delay)) return false;
  }
  return true;
}

void SocketChannel::holdSilently() {
  std::array<char, 4096> scratch{};
  const Poco::Timespan tick(0, 100 * 1000);  // re-check the stop flag every 100 ms
  while (!state_.stopping()) {
    try {
      if (!socket_.poll(tick, Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR)) {
        continue;
      }
      // Readable: either the client closed (0) or it sent more bytes, which are ignored.
      if (socket_.receiveBytes(scratch.data(), static_cast<int>(scratch.size())) <= 0) return;
    } catch (...) {
      return;
    }
  }
}

void SocketChannel::shutdown() {
  try {
    socket_.shutdown();
  } catch (...) {  // already gone
  }
}

}  // namespace agent::standin
