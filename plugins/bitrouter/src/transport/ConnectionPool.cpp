#include "transport/ConnectionPool.hpp"

#include <exception>

#include "transport/TlsContext.hpp"

namespace agent::bitrouter {

ConnectionPool::Lease::Lease(ConnectionPool& pool, std::unique_ptr<Slot> slot, bool reused)
    : pool_(&pool),
      slot_(std::move(slot)),
      reused_(reused),
      exceptions_(std::uncaught_exceptions()) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_),
      slot_(std::move(other.slot_)),
      reused_(other.reused_),
      broken_(other.broken_),
      exceptions_(other.exceptions_) {}

ConnectionPool::Lease::~Lease() {
  if (!slot_) return;
  // Unwinding mid-exchange may leave half a response on the socket: never reuse it.
  const bool unwinding = std::uncaught_exceptions() > exceptions_;
  pool_->release(std::move(slot_), broken_ || unwinding);
}

void ConnectionPool::Slot::closeConnection() noexcept {
  connection.close();
  duplicate.reset();
}

void ConnectionPool::Lease::resetConnection() noexcept {
  slot_->closeConnection();
  reused_ = false;
}

ConnectionPool::ConnectionPool(const BaseUrl& baseUrl, Options options) : options_(options) {
  if (baseUrl.https()) tls_ = std::make_unique<TlsContext>();
}

// Connections go before the TLS context that their sockets use.
ConnectionPool::~ConnectionPool() {
  MutexLock lock(mutex_);
  idle_.clear();
}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_ptr<Slot> slot;
  {
    MutexLock lock(mutex_);
    if (!idle_.empty()) {
      slot = std::move(idle_.back());  // the most recently used is the most likely alive
      idle_.pop_back();
    }
  }
  if (!slot) return Lease(*this, std::make_unique<Slot>(), false);
  bool alive = slot->connection.isOpen() &&
               std::chrono::steady_clock::now() - slot->idleSince <= options_.idleTimeout &&
               slot->connection.looksAlive();
  if (!alive && slot->connection.isOpen()) slot->closeConnection();
  return Lease(*this, std::move(slot), alive);
}

void ConnectionPool::release(std::unique_ptr<Slot> slot, bool broken) noexcept {
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

std::size_t ConnectionPool::idleCount() const {
  MutexLock lock(mutex_);
  return idle_.size();
}

}  // namespace agent::bitrouter
