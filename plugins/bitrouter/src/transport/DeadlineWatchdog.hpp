// DeadlineWatchdog: enforces the whole-call deadline while a call is blocked inside Poco.
//
// Poco's socket timeouts are per read: a server that trickles the response headers one byte at
// a time, each within the timeout, keeps receiveResponse() parsing past BITROUTER_TIMEOUT_MS, and
// the plugin gets no control between those reads. So each attempt arms a Watch for its socket;
// one thread per client (started on the first arm, joined by the destructor) shuts the socket
// down when the deadline passes. The blocked read then returns EOF or fails, and the owner sees
// fired() and reports a timeout; the connection is never reused.
//
// The watchdog never closes a descriptor and never touches the Poco session (both belong to the
// calling thread): it shuts down its own duplicate of the socket's descriptor, which stays valid
// even if Poco closes the original meanwhile, so a reused descriptor number is never hit.
// Arming costs a dup(), two short locks and, only when it becomes the earliest deadline, a
// notify; it allocates nothing once the list has grown to the number of calls in flight.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <Poco/Net/Socket.h>

namespace agent::bitrouter {

class DeadlineWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  /// One attempt's registration. Disarmed (and its descriptor closed) by disarm() or on
  /// destruction, which must happen before the connection is reused or given back to the pool.
  class Watch {
   public:
    Watch() noexcept = default;
    ~Watch() { disarm(); }
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

    /// True once the watchdog shut the socket down: whatever the read returned is a timeout.
    bool fired() const noexcept { return fired_.load(std::memory_order_acquire); }

    /// Stops watching; after it returns the watchdog no longer touches the socket.
    void disarm() noexcept;

   private:
    friend class DeadlineWatchdog;

    DeadlineWatchdog* owner_ = nullptr;  // set while armed
    Clock::time_point when_;
    int descriptor_ = -1;  // our duplicate of the socket's descriptor
    std::atomic<bool> fired_{false};
  };

  DeadlineWatchdog() noexcept = default;
  ~DeadlineWatchdog();

  DeadlineWatchdog(const DeadlineWatchdog&) = delete;
  DeadlineWatchdog& operator=(const DeadlineWatchdog&) = delete;

  /// Shuts `socket` down at `when` unless `watch` is disarmed first. `watch` must not be armed.
  /// Returns false (nothing armed; the per-read timeouts still apply) when the socket is not
  /// open or the descriptor cannot be duplicated or the thread cannot be started.
  bool arm(Watch& watch, const Poco::Net::Socket& socket, Clock::time_point when) noexcept;

  /// Watches currently armed (for tests).
  std::size_t armedCount() const;

 private:
  void run();
  void remove(Watch& watch) noexcept;  // with mutex_ held

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Watch*> armed_;  // a handful (one per call in flight): linear scans are cheapest
  Clock::time_point nextWake_ = Clock::time_point::max();  // what the thread waits for
  bool stop_ = false;
  std::thread thread_;  // started by the first arm()
};

}  // namespace agent::bitrouter
