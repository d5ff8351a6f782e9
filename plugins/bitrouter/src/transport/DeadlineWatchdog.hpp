// DeadlineWatchdog: ends a TLS call blocked inside OpenSSL at its deadline, or at once when the
// caller cancels it.
//
// Socket timeouts are per read: inside SSL_read (or the handshake) a server that trickles a
// record one byte at a time, each within the timeout, keeps OpenSSL reading past the deadline,
// and the plugin gets no control between those reads. (Plain HTTP needs no watchdog: the plugin
// makes every read itself and checks the deadline between them.) So each TLS attempt arms a
// Watch for its socket; one thread per client (started on the first arm, joined by the
// destructor) shuts the socket down when the deadline passes, and a cancellation shuts it down
// at once (fire()). The blocked read then returns EOF or fails, and the owner sees fired() and
// reports a timeout (or a cancellation); the connection is never reused.
//
// The watchdog never closes a descriptor and never touches the socket object (both belong to the
// calling thread): it shuts down a SocketDuplicate of the connection's descriptor, which stays
// valid even if the owner closes the original meanwhile, so a reused descriptor number is never
// hit. The duplicate is made once per connection, not per call. Arming costs two short locks
// and, only when it becomes the earliest deadline, a notify; it allocates nothing once the list
// has grown to the number of calls in flight.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>
#include <vector>

#include <Poco/Net/Socket.h>

#include "agent/support/ThreadSafety.hpp"

namespace agent::bitrouter {

/// Our own duplicate of a connection's socket descriptor, for the watchdog to shut down.
class SocketDuplicate {
 public:
  SocketDuplicate() noexcept = default;
  ~SocketDuplicate() { reset(); }
  SocketDuplicate(const SocketDuplicate&) = delete;
  SocketDuplicate& operator=(const SocketDuplicate&) = delete;

  /// Duplicates `socket`'s descriptor (dropping any earlier one). False when it is not open or
  /// cannot be duplicated.
  bool attach(const Poco::Net::Socket& socket) noexcept;
  void reset() noexcept;
  int descriptor() const noexcept { return descriptor_; }

 private:
  int descriptor_ = -1;
};

class DeadlineWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  /// Why a watch fired.
  enum class Cause { None, Deadline, Cancelled };

  /// One attempt's registration. Disarmed by disarm() or on destruction, which must happen
  /// before the connection is reused, given back to the pool or its duplicate dropped.
  class Watch {
   public:
    Watch() noexcept = default;
    ~Watch() { disarm(); }
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

    /// True once the watchdog shut the socket down: whatever the read returned is not the
    /// server's doing.
    bool fired() const noexcept { return cause() != Cause::None; }
    Cause cause() const noexcept { return cause_.load(std::memory_order_acquire); }

    /// Stops watching; after it returns the watchdog no longer touches the socket.
    void disarm() noexcept;

   private:
    friend class DeadlineWatchdog;

    DeadlineWatchdog* owner_ = nullptr;  // set while armed
    Clock::time_point when_;
    int descriptor_ = -1;  // the connection's SocketDuplicate
    std::atomic<Cause> cause_{Cause::None};
  };

  DeadlineWatchdog() noexcept = default;
  ~DeadlineWatchdog();

  DeadlineWatchdog(const DeadlineWatchdog&) = delete;
  DeadlineWatchdog& operator=(const DeadlineWatchdog&) = delete;

  /// Shuts `socket` down at `when` unless `watch` is disarmed first. `watch` must not be armed.
  /// Returns false (nothing armed; the per-read timeouts still apply) when the duplicate is not
  /// open or the thread cannot be started.
  bool arm(Watch& watch, const SocketDuplicate& socket, Clock::time_point when) noexcept;

  /// Shuts the watched socket down now (a cancellation), if `watch` is still armed. Safe from
  /// any thread.
  void fire(Watch& watch, Cause cause) noexcept;

  /// Watches currently armed (for tests).
  std::size_t armedCount() const;

 private:
  void run();
  bool remove(Watch& watch) noexcept AGENT_REQUIRES(mutex_);
  static void shutDown(Watch& watch, Cause cause) noexcept;

  mutable Mutex mutex_;
  std::condition_variable_any wake_;
  // A handful (one per call in flight): linear scans are cheapest.
  std::vector<Watch*> armed_ AGENT_GUARDED_BY(mutex_);
  Clock::time_point nextWake_ AGENT_GUARDED_BY(mutex_) = Clock::time_point::max();
  bool stop_ AGENT_GUARDED_BY(mutex_) = false;
  std::thread thread_ AGENT_GUARDED_BY(mutex_);  // started by the first arm()
};

}  // namespace agent::bitrouter
