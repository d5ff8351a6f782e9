// HttpSessionPool: keep-alive connections to BitRouter, one per in-flight call.
//
// Poco's HTTPClientSession is stateful and unlocked, so a session is never shared: a call leases
// one (with its CallBuffers) and gives it back when done. The pool keeps at most maxIdle
// sessions; it never blocks a caller - with none idle a new one is made. A connection idle for
// longer than idleTimeout (below typical server keep-alive timeouts) is closed before reuse,
// and a plain-HTTP connection the server has already closed is detected with one non-blocking
// peek. A lease that saw an error is reset (socket closed) before it returns, so a dirty
// connection is never reused; its buffers still are.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>

#include "agent/bitrouter/BaseUrl.hpp"
#include "agent/bitrouter/BitRouterClient.hpp"
#include "agent/support/ThreadSafety.hpp"
#include "transport/CallBuffers.hpp"
#include "transport/DeadlineWatchdog.hpp"
#include "transport/SocketTimeouts.hpp"

namespace agent::bitrouter {

class TlsContext;

class HttpSessionPool {
  // A session with its buffers; the unit the pool keeps and lends.
  struct Slot {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    CallBuffers buffers;
    SocketTimeouts timeouts;
    SocketDuplicate duplicate;       // for the watchdog; made once per connection
    Poco::Net::HTTPRequest request;  // the last request's headers, updated in place
    std::chrono::steady_clock::time_point idleSince;

    void closeConnection() noexcept;  // the session's socket and what belongs to it
  };

 public:
  using Options = ConnectionPoolOptions;

  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    Poco::Net::HTTPClientSession& session() noexcept { return *slot_->session; }
    CallBuffers& buffers() noexcept { return slot_->buffers; }
    SocketTimeouts& timeouts() noexcept { return slot_->timeouts; }
    SocketDuplicate& duplicate() noexcept { return slot_->duplicate; }
    Poco::Net::HTTPRequest& request() noexcept { return slot_->request; }

    /// True when the session holds a kept-alive connection from an earlier call (the case in
    /// which the server may have closed it meanwhile).
    bool reused() const noexcept { return reused_; }

    /// Closes the connection now; the next request on this session opens a fresh one.
    void resetConnection() noexcept;

    /// Marks the connection unusable (error, cancel, partial read): it is closed on release.
    /// A lease released by an exception unwinding is treated the same way.
    void discard() noexcept { broken_ = true; }

   private:
    friend class HttpSessionPool;
    Lease(HttpSessionPool& pool, std::unique_ptr<Slot> slot, bool reused);

    HttpSessionPool* pool_;
    std::unique_ptr<Slot> slot_;
    bool reused_;
    bool broken_ = false;
    int exceptions_;  // std::uncaught_exceptions() when the lease began
  };

  HttpSessionPool(const BaseUrl& baseUrl, Options options);
  ~HttpSessionPool();

  HttpSessionPool(const HttpSessionPool&) = delete;
  HttpSessionPool& operator=(const HttpSessionPool&) = delete;

  Lease acquire();

  std::size_t idleCount() const;

 private:
  void release(std::unique_ptr<Slot> slot, bool broken) noexcept;
  std::unique_ptr<Poco::Net::HTTPClientSession> newSession() const;

  BaseUrl baseUrl_;
  Options options_;
  std::unique_ptr<TlsContext> tls_;  // https only
  mutable Mutex mutex_;
  std::vector<std::unique_ptr<Slot>> idle_ AGENT_GUARDED_BY(mutex_);
};

}  // namespace agent::bitrouter
