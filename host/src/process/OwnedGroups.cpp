#include "process/OwnedGroups.hpp"

#include <signal.h>

#include <algorithm>
#include <thread>

namespace agent::host::process {

bool OwnedGroups::add(pid_t pgid) {
  MutexLock lock(mutex_);
  if (closed_) return false;
  groups_.push_back(pgid);
  return true;
}

void OwnedGroups::remove(pid_t pgid) {
  MutexLock lock(mutex_);
  groups_.erase(std::remove(groups_.begin(), groups_.end(), pgid), groups_.end());
}

void OwnedGroups::endAll(std::chrono::milliseconds grace) {
  {
    MutexLock lock(mutex_);
    closed_ = true;
    if (groups_.empty()) return;
    for (const pid_t pgid : groups_)
      ::kill(-pgid, SIGTERM);
  }
  // The children's holders reap them as they leave (and remove them here); what is left after
  // the grace is killed.
  const auto until = std::chrono::steady_clock::now() + grace;
  for (;;) {
    {
      MutexLock lock(mutex_);
      if (groups_.empty()) return;
      if (std::chrono::steady_clock::now() >= until) {
        for (const pid_t pgid : groups_)
          ::kill(-pgid, SIGKILL);
        return;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace agent::host::process
