#include "agent/test/Loopback.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace agent::test {
namespace {

// A socket bound to 127.0.0.1 on a port the kernel chose; -1 when it cannot be made.
int bindOnLoopback(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    return -1;
  }
  port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

int listenOnLoopback(std::uint16_t& port, int backlog, int receiveBuffer) {
  const int fd = bindOnLoopback(port);
  if (fd < 0) return -1;
  if ((receiveBuffer > 0 &&
       ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer) != 0) ||
      ::listen(fd, backlog) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::uint16_t unusedLoopbackPort() {
  std::uint16_t port = 0;
  const int fd = bindOnLoopback(port);
  if (fd < 0) return 0;
  ::close(fd);
  return port;
}

}  // namespace agent::test
