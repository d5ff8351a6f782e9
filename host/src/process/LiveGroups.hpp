// LiveGroups: every process group the host's children lead, in a table a signal handler can read.
//
// The CLI ends all of them when it is interrupted, terminated or hung up; that happens inside a
// signal handler, so the table is a fixed array of atomics: no lock, no allocation. A slot is
// reserved before the child is spawned and filled right after, so a signal arriving in between
// waits briefly for the process group id instead of missing it.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace agent::host::process {

/// A slot of the table, reserved for a child about to be spawned.
class LiveGroupSlot {
 public:
  /// Reserves a slot; invalid when the table is full.
  LiveGroupSlot() noexcept;
  /// Frees the slot (the child was reaped, or never started).
  ~LiveGroupSlot();
  LiveGroupSlot(const LiveGroupSlot&) = delete;
  LiveGroupSlot& operator=(const LiveGroupSlot&) = delete;

  bool valid() const noexcept { return index_ != kNone; }
  /// Records the spawned child's process group.
  void fill(pid_t pgid) noexcept;
  /// Frees the slot early (before the child is reaped, so its id is never signalled once reused).
  void release() noexcept;

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t index_ = kNone;
};

/// The most children alive at once.
constexpr std::size_t kMaxLiveGroups = 1024;

/// Sends SIGKILL to every recorded group. Async-signal-safe: for signal handlers.
void killAllLiveGroups() noexcept;

}  // namespace agent::host::process
