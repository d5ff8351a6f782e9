#include "transport/HttpSessionPool.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <exception>

#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Timespan.h>

#include "transport/TlsContext.hpp"

namespace agent::bitrouter {
namespace {

// Poco measures keep-alive from the start of the previous request, which would drop every
// connection that served a long generation; the pool measures idleness itself instead. Longer
// than any call may last (BITROUTER_TIMEOUT_MS is at most a day), so Poco never reconnects on
// its own under the deadline watchdog's socket duplicate.
const Poco::Timespan kPocoKeepAlive(400L * 24 * 3600, 0);

}  // namespace

HttpSessionPool::Lease::Lease(HttpSessionPool& pool, std::unique_ptr<Slot> slot, bool reused)
    : pool_(&pool),
      slot_(std::move(slot)),
      reused_(reused),
      exceptions_(std::uncaught_exceptions()) {}

HttpSessionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_),
      slot_(std::move(other.slot_)),
      reused_(other.reused_),
      broken_(other.broken_),
      exceptions_(other.exceptions_) {}

HttpSessionPool::Lease::~Lease() {
  if (!slot_) return;
  // Unwinding mid-exchange may leave half a response on the socket: never reuse it.
  const bool unwinding = std::uncaught_exceptions() > exceptions_;
  pool_->release(std::move(slot_), broken_ || unwinding);
}

void HttpSessionPool::Slot::closeConnection() noexcept {
  try {
    session->reset();
  } catch (...) {
  }
  timeouts.forget();
  duplicate.reset();
}

void HttpSessionPool::Lease::resetConnection() noexcept {
  slot_->closeConnection();
  reused_ = false;
}

HttpSessionPool::HttpSessionPool(const BaseUrl& baseUrl, Options options)
    : baseUrl_(baseUrl), options_(options) {
  if (baseUrl_.https()) tls_ = std::make_unique<TlsContext>();
}

// Sessions go before the TLS context that their sockets use.
HttpSessionPool::~HttpSessionPool() {
  MutexLock lock(mutex_);
  idle_.clear();
}

std::unique_ptr<Poco::Net::HTTPClientSession> HttpSessionPool::newSession() const {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (tls_) {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(baseUrl_.host, baseUrl_.port,
                                                              tls_->context());
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(baseUrl_.host, baseUrl_.port);
  }
  session->setKeepAlive(true);
  session->setKeepAliveTimeout(kPocoKeepAlive);
  return session;
}

HttpSessionPool::Lease HttpSessionPool::acquire() {
  std::unique_ptr<Slot> slot;
  {
    MutexLock lock(mutex_);
    if (!idle_.empty()) {
      slot = std::move(idle_.back());  // the most recently used is the most likely alive
      idle_.pop_back();
    }
  }
  if (!slot) {
    slot = std::make_unique<Slot>();
    slot->session = newSession();
    return Lease(*this, std::move(slot), false);
  }

  Poco::Net::HTTPClientSession& session = *slot->session;
  bool alive = session.connected();
  if (alive && std::chrono::steady_clock::now() - slot->idleSince > options_.idleTimeout) {
    alive = false;
  }
  if (alive && !tls_) {
    // Anything to read while idle means the server closed it (EOF) or sent junk: either way,
    // unusable. One non-blocking peek; Poco's poll() would cost four syscalls (epoll).
    // (Skipped for TLS, where post-handshake records make an idle socket readable.)
    char byte = 0;
    const ssize_t peeked =
        ::recv(session.socket().impl()->sockfd(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    alive = peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  if (!alive && session.connected()) slot->closeConnection();
  return Lease(*this, std::move(slot), alive);
}

void HttpSessionPool::release(std::unique_ptr<Slot> slot, bool broken) noexcept {
  try {
    if (broken) slot->closeConnection();
    slot->buffers.trim();
    slot->idleSince = std::chrono::steady_clock::now();
    MutexLock lock(mutex_);
    if (idle_.size() < options_.maxIdle) idle_.push_back(std::move(slot));
  } catch (...) {
    // Dropping the slot closes its connection; nothing else to do.
  }
}

std::size_t HttpSessionPool::idleCount() const {
  MutexLock lock(mutex_);
  return idle_.size();
}

}  // namespace agent::bitrouter
