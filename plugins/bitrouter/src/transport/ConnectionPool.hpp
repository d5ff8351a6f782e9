// ConnectionPool: keep-alive connections to BitRouter, one per in-flight call.
//
// A connection is never shared: a call leases one (with its CallBuffers, its response reader and
// the buffer its request head is written into) and gives it back when done. The pool keeps at
// most maxIdle; it never blocks a caller - with none idle a new one is made. A connection idle
// for longer than idleTimeout (below typical server keep-alive timeouts) is closed before reuse,
// and a plain-HTTP connection the server has already closed is detected with one non-blocking
// peek. A lease that saw an error is closed before it returns, so a dirty connection is never
// reused; its buffers still are.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "agent/bitrouter/BaseUrl.hpp"
#include "agent/bitrouter/ConnectionPoolOptions.hpp"
#include "agent/support/ThreadSafety.hpp"
#include "transport/CallBuffers.hpp"
#include "transport/Connection.hpp"
#include "transport/DeadlineWatchdog.hpp"
#include "transport/ResponseReader.hpp"

namespace agent::bitrouter {

class TlsContext;

class ConnectionPool {
 public:
  using Options = ConnectionPoolOptions;

  /// A connection with what a call needs around it; the unit the pool keeps and lends.
  struct Slot {
    Connection connection;
    CallBuffers buffers;
    ResponseReader reader;
    std::string head;           // the request head, rewritten for each request
    SocketDuplicate duplicate;  // TLS: for the deadline watchdog; made once per connection
    std::chrono::steady_clock::time_point idleSince;

    void closeConnection() noexcept;
  };

  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    Slot& slot() noexcept { return *slot_; }

    /// True when the connection is a kept-alive one from an earlier call (the case in which the
    /// server may have closed it meanwhile).
    bool reused() const noexcept { return reused_; }

    /// Closes the connection now; the next request opens a fresh one.
    void resetConnection() noexcept;

    /// Marks the connection unusable (error, cancel, partial read): it is closed on release.
    /// A lease released by an exception unwinding is treated the same way.
    void discard() noexcept { broken_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool& pool, std::unique_ptr<Slot> slot, bool reused);

    ConnectionPool* pool_;
    std::unique_ptr<Slot> slot_;
    bool reused_;
    bool broken_ = false;
    int exceptions_;  // std::uncaught_exceptions() when the lease began
  };

  ConnectionPool(const BaseUrl& baseUrl, Options options);
  ~ConnectionPool();

  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  Lease acquire();

  /// The TLS context of an https:// base URL; nullptr for http://.
  const TlsContext* tls() const noexcept { return tls_.get(); }
  std::size_t idleCount() const;

 private:
  void release(std::unique_ptr<Slot> slot, bool broken) noexcept;

  Options options_;
  std::unique_ptr<TlsContext> tls_;  // https only
  mutable Mutex mutex_;
  std::vector<std::unique_ptr<Slot>> idle_ AGENT_GUARDED_BY(mutex_);
};

}  // namespace agent::bitrouter
