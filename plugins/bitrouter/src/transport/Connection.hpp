// Connection: one keep-alive connection to BitRouter on a Poco socket, plain or TLS.
//
// Every wait is bounded: a connect by the connect timeout and the call's deadline, each send and
// read by the deadline (and a stream's idle allowance). A call that can be cancelled passes the
// descriptor its cancellation signals (Wait::wake); waits then go through poll() on the socket and
// that descriptor, so a cancel ends even a TCP connect at once. A call that cannot be cancelled
// uses plain blocking calls with socket timeouts: two system calls per exchange, as few as a raw
// client. The socket stays in blocking mode; the cancellable path uses MSG_DONTWAIT.
//
// No write can raise SIGPIPE: plain sockets send with MSG_NOSIGNAL, TLS work runs inside a
// SigpipeBlock. TLS reads and writes happen inside OpenSSL, where a server trickling its bytes
// could hold one call past the deadline; CallTransport arms the DeadlineWatchdog for them.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

#include <Poco/Net/StreamSocket.h>

#include "agent/bitrouter/BaseUrl.hpp"
#include "transport/DeadlineWatchdog.hpp"
#include "transport/SocketTimeouts.hpp"
#include "transport/TransportErrorMapper.hpp"

namespace agent::bitrouter {

class TlsContext;

class Connection {
 public:
  using Clock = std::chrono::steady_clock;

  /// How long one step may wait, and what cuts it short.
  struct Wait {
    Clock::time_point until;  // the call's deadline (or an earlier idle limit)
    int wake = -1;            // readable once the call is cancelled; -1 for none
  };

  /// The outcome of one step.
  enum class Status {
    Done,
    TimedOut,  // `until` passed
    Woken,     // the wake descriptor fired (the call was cancelled)
    Failed,    // see error()
  };

  Connection() = default;
  ~Connection() { close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool isOpen() const noexcept { return open_; }
  bool isTls() const noexcept { return tls_; }
  const Poco::Net::StreamSocket& socket() const noexcept { return socket_; }
  const TransportError& error() const noexcept { return error_; }

  /// Resolves the host and opens a TCP connection, waiting at most `connectLimit` (and `wait`).
  Status connect(const BaseUrl& url, std::chrono::milliseconds connectLimit, const Wait& wait);
  /// The TLS handshake over the TCP connection; certificate and host name are verified.
  /// `limit` bounds each of its reads and writes.
  Status startTls(const TlsContext& tls, const std::string& host, std::chrono::milliseconds limit);

  /// Writes `head` then `body`, all of each.
  Status send(std::string_view head, std::string_view body, const Wait& wait);
  /// At most one read into `buffer`; `received` is 0 at the end of the stream. With `pollFirst`
  /// (an answer is not expected to be there yet) a cancellable wait polls before it reads.
  Status receive(char* buffer, std::size_t capacity, std::size_t& received, const Wait& wait,
                 bool pollFirst);

  /// True when the idle connection can take a request: nothing to read (the server neither
  /// closed it nor sent anything unasked). One non-blocking peek; TLS is trusted as it is.
  bool looksAlive() const noexcept;

  void close() noexcept;

 private:
  Status waitFor(short events, const Wait& wait) const;
  Status fail(TransportError::Kind kind, int error);
  Status failWith(TransportError::Kind kind, std::string detail);
  int descriptor() const noexcept;

  Poco::Net::StreamSocket socket_;
  SocketTimeouts timeouts_;
  TransportError error_;
  bool open_ = false;
  bool tls_ = false;
};

}  // namespace agent::bitrouter
