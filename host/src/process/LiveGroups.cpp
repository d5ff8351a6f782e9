#include "process/LiveGroups.hpp"

#include <signal.h>
#include <time.h>

#include <array>
#include <atomic>

namespace agent::host::process {
namespace {

constexpr pid_t kFree = 0;
constexpr pid_t kSpawning = -1;

std::array<std::atomic<pid_t>, kMaxLiveGroups> gGroups{};

static_assert(std::atomic<pid_t>::is_always_lock_free, "read from a signal handler");

}  // namespace

LiveGroupSlot::LiveGroupSlot() noexcept {
  for (std::size_t i = 0; i < gGroups.size(); ++i) {
    pid_t expected = kFree;
    if (gGroups[i].compare_exchange_strong(expected, kSpawning)) {
      index_ = i;
      return;
    }
  }
}

LiveGroupSlot::~LiveGroupSlot() {
  release();
}

void LiveGroupSlot::fill(pid_t pgid) noexcept {
  if (valid()) gGroups[index_].store(pgid);
}

void LiveGroupSlot::release() noexcept {
  if (valid()) gGroups[index_].store(kFree);
  index_ = kNone;
}

void killAllLiveGroups() noexcept {
  // A slot still marked spawning gets its group id within microseconds, unless this handler
  // interrupted the very thread that spawns: wait for it, but not for ever.
  constexpr int kWaitSteps = 100;
  const timespec step{0, 1000000};  // 1 ms
  int waited = 0;
  for (auto& slot : gGroups) {
    pid_t pgid = slot.load();
    while (pgid == kSpawning && waited < kWaitSteps) {
      ::nanosleep(&step, nullptr);
      ++waited;
      pgid = slot.load();
    }
    if (pgid > 0) ::kill(-pgid, SIGKILL);
  }
}

}  // namespace agent::host::process
