// Loopback: sockets on 127.0.0.1 for the tests' own raw servers, and ports where nothing listens.
#pragma once

#include <cstdint>

namespace agent::test {

/// A socket listening on 127.0.0.1, on a port the kernel chose (written to `port`), with
/// `backlog`; -1 when it cannot be made. The caller closes it. A `receiveBuffer` above 0 is set
/// (SO_RCVBUF) before listen(), so every connection it accepts has that small a buffer.
int listenOnLoopback(std::uint16_t& port, int backlog = 16, int receiveBuffer = 0);

/// A loopback port nothing listens on (bound, never listened on, closed): a connect there is
/// refused. 0 when no port could be had.
std::uint16_t unusedLoopbackPort();

}  // namespace agent::test
