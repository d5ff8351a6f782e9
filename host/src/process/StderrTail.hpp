// StderrTail: reads a child's stderr on a thread of its own and keeps only its end.
//
// A child may write without limit (`yes >&2`); the host keeps the last `capacity` bytes, enough
// for the lines that explain a failure, and discards the rest as it arrives, so its memory stays
// bounded. The reader also keeps the pipe drained, so the child never blocks on a full stderr.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <string>
#include <thread>

#include "agent/support/ThreadSafety.hpp"

namespace agent::host::process {

class StderrTail {
 public:
  /// Takes `fd` (the read end of the child's stderr) and starts reading it.
  StderrTail(int fd, std::size_t capacity);
  /// Stops reading (whether or not the pipe has closed) and closes the descriptor.
  ~StderrTail();
  StderrTail(const StderrTail&) = delete;
  StderrTail& operator=(const StderrTail&) = delete;

  /// The last `maxLines` lines kept, joined by "\n", without a trailing newline.
  std::string lastLines(std::size_t maxLines) const;
  /// Waits up to `limit` for the pipe to close (every writer gone), so that what the child wrote
  /// just before it left is kept; true when it closed.
  bool awaitEnd(std::chrono::milliseconds limit);
  /// Bytes read in all (kept or not).
  std::size_t totalBytes() const;

 private:
  void read();
  void readUntilClosed();

  const int fd_;
  const std::size_t capacity_;
  int stopPipe_[2] = {-1, -1};
  mutable Mutex mutex_;
  std::string tail_ AGENT_GUARDED_BY(mutex_);
  std::size_t total_ AGENT_GUARDED_BY(mutex_) = 0;
  std::atomic<bool> ended_{false};  // set under mutex_, so that a waiter cannot miss it
  std::condition_variable endedChanged_;
  std::thread reader_;
};

}  // namespace agent::host::process
