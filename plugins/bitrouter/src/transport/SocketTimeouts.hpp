// SocketTimeouts: the send/receive timeouts a pooled socket currently has, so they are only
// changed (one setsockopt each) when they really need to be.
//
// Every read takes its timeout from what is left of the call (or of the stream's idle
// allowance); on a kept-alive connection the value barely moves from call to call. A value
// within a small tolerance of the wanted one (1%, at most 50 ms, at least 1 ms) is kept: the
// deadline may then be missed by at most that tolerance, and a syscall per read is saved.
#pragma once

#include <chrono>

#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

namespace agent::bitrouter {

class SocketTimeouts {
 public:
  using Milliseconds = std::chrono::milliseconds;

  /// Makes the socket's send timeout about `wanted` (at least 1 ms; 0 would mean "forever").
  void applySend(Poco::Net::StreamSocket& socket, Milliseconds wanted);
  void applyReceive(Poco::Net::StreamSocket& socket, Milliseconds wanted);

  /// The socket was closed; nothing is known about the next one.
  void forget() noexcept { send_ = receive_ = Milliseconds(-1); }

  static bool closeEnough(Milliseconds current, Milliseconds wanted) noexcept;

  /// A Poco timeout of at least 1 ms (Poco and the kernel read 0 as "wait forever").
  static Poco::Timespan timespan(Milliseconds value) noexcept;

 private:
  Milliseconds send_{-1};
  Milliseconds receive_{-1};
};

}  // namespace agent::bitrouter
