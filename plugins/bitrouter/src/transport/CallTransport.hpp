// CallTransport: the one owner of a call's wire work.
//
// It holds the call's limits - the deadline (BITROUTER_TIMEOUT_MS or the caller's own, whichever
// is sooner), the connect timeout and the stream's idle allowance - and the caller's
// cancellation, and it leases the pooled connection each attempt uses. It writes a request (the
// head from RequestHead, the body as the caller built it) and reads the answer through the
// connection's ResponseReader, each wait bounded by what is left of those limits, so a server
// trickling its headers cannot stretch the call. A cancellation ends any wait at once, a TCP
// connect included (the connection polls a descriptor the cancellation signals); over TLS, whose
// reads happen inside OpenSSL, the client's DeadlineWatchdog shuts the socket down at the deadline
// or the cancel. Failures end here as values: everything above (chat/, the client) gets them.
//
// Guarantees kept here: a request that may have been fully written is never sent again; a
// kept-alive connection that fails while the request is still being written (the server closed
// it while idle) is closed and the request sent once more on a fresh one; a connection that saw
// anything unexpected, or that the watchdog shut down, is never reused.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "agent/Cancellation.hpp"
#include "agent/HostServices.hpp"
#include "agent/bitrouter/BitRouterConfig.hpp"
#include "errors/CallFailure.hpp"
#include "errors/Expected.hpp"
#include "transport/ConnectionPool.hpp"
#include "transport/Deadline.hpp"
#include "transport/DeadlineWatchdog.hpp"
#include "transport/RequestHead.hpp"
#include "transport/TransportErrorMapper.hpp"

namespace agent::bitrouter {

/// The status line and the headers the protocol code needs, valid until the next send().
struct [[nodiscard]] ResponseHead {
  int status = 0;
  std::string_view reason;
  std::string_view contentType;
  std::optional<std::chrono::milliseconds> retryAfter;  // error replies only
  bool success() const noexcept { return status >= 200 && status < 300; }
  bool eventStream() const noexcept;
};

/// One read of the response body.
struct [[nodiscard]] ReadResult {
  enum class Status {
    Data,         // `data` arrived
    End,          // the body ended, or the connection closed first (then `cut`)
    IdleTimeout,  // nothing arrived within the idle allowance
    Stopped,      // the call's deadline passed or the caller cancelled: see stopFailure()
    Failed,       // the connection failed or the framing broke; see detail
  };
  Status status = Status::End;
  std::string_view data;               // Data: valid until the next read
  bool cut = false;                    // End: the connection closed before the body's end
  std::string detail;                  // Failed: what the connection said, short
  std::optional<CallFailure> failure;  // Failed: as a failure of the call
};

/// A whole (non-streamed) body read into a buffer.
struct [[nodiscard]] BodyRead {
  bool reusable = false;  // framed so that nothing of it is left on the connection
  bool tooLarge = false;  // more than the limit (then not read to its end)
  // The connection closed before the body ended: the server (or a proxy) hung up mid-body. The
  // buffer holds what did arrive; promisedBytes is the Content-Length, when there was one.
  bool cut = false;
  std::optional<std::int64_t> promisedBytes;

  bool cutShort() const noexcept { return cut; }
};

class CallTransport {
 public:
  using Log = std::function<void(LogLevel, std::string_view)>;

  enum class Method { ChatCompletion, ListModels };

  struct Request {
    Method method = Method::ChatCompletion;
    bool stream = false;             // asks for text/event-stream
    std::string_view body;           // POST body (ChatCompletion)
    std::string_view traceparent{};  // the call's W3C traceparent; empty: no header
  };

  /// Registers with `cancellation` (when given) until the transport is destroyed.
  CallTransport(const BitRouterConfig& config, const RequestHead& heads, ConnectionPool& pool,
                DeadlineWatchdog& watchdog, Deadline deadline,
                std::shared_ptr<CancellationToken> cancellation, const Log& log);
  ~CallTransport();

  CallTransport(const CallTransport&) = delete;
  CallTransport& operator=(const CallTransport&) = delete;

  const Deadline& deadline() const noexcept { return deadline_; }
  bool cancelled() const noexcept { return cancellation_ && cancellation_->cancelled(); }

  /// The failure that ends the call now - cancelled, or past its deadline - or nullopt.
  [[nodiscard]] std::optional<CallFailure> stopped() const;
  /// The failure of a call ended by cancellation or its deadline (Cancelled wins).
  [[nodiscard]] CallFailure stopFailure() const;

  /// The scratch buffers of the connection the next request goes on (leases one when needed).
  CallBuffers& buffers();

  /// Sends `request` (with a fresh request id) and reads the response head.
  [[nodiscard]] Expected<ResponseHead, CallFailure> send(const Request& request);
  /// The id of the last request sent.
  const std::string& requestId() const noexcept { return requestId_; }

  /// The next piece of the body, waiting at most `idleLimit` (and the deadline) for it.
  [[nodiscard]] ReadResult read(std::chrono::milliseconds idleLimit);

  /// The whole body into `out` (cleared first), up to `limit` bytes.
  [[nodiscard]] Expected<BodyRead, CallFailure> readBody(std::string& out, std::size_t limit);

  /// Gives the connection back to the pool: kept for reuse only when `reusable`, the server
  /// allows it and the watchdog left it alone.
  void release(bool reusable) noexcept;

  /// Waits `wait` before another attempt; returns false at once when the call is cancelled.
  [[nodiscard]] bool pause(std::chrono::milliseconds wait);

 private:
  Expected<ResponseHead, CallFailure> sendOnce(const Request& request, bool& stale);
  std::optional<CallFailure> open(ConnectionPool::Slot& slot);
  CallFailure failure(const TransportError& error) const;
  void onCancel() noexcept;
  TransportContext context() const;
  bool fired() const noexcept { return watch_.fired(); }
  Connection::Wait wait(std::chrono::milliseconds idleLimit) const;

  const BitRouterConfig& config_;
  const RequestHead& heads_;
  ConnectionPool& pool_;
  DeadlineWatchdog& watchdog_;
  Deadline deadline_;
  std::shared_ptr<CancellationToken> cancellation_;
  const Log& log_;
  std::uint64_t cancellationId_ = 0;
  int wake_ = -1;  // an eventfd the cancellation signals (only when there is a cancellation)

  std::optional<ConnectionPool::Lease> lease_;
  DeadlineWatchdog::Watch watch_;
  bool responded_ = false;  // a response head was read on the leased connection
  std::string requestId_;

  std::mutex pauseMutex_;  // pause() sleeps on it; onCancel() wakes it
  std::condition_variable pauseWake_;
};

/// "BitRouter's response exceeds N bytes (BITROUTER_MAX_RESPONSE_BYTES)".
std::string tooLargeMessage(std::size_t limit);

/// The failure for a body cut short: the connection closed after `received` bytes (of
/// `promised`, when a length was given). Unavailable and not retried: the request was delivered
/// and may have been processed.
CallFailure cutShortFailure(std::size_t received, std::optional<std::int64_t> promised);

}  // namespace agent::bitrouter
