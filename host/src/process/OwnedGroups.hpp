// OwnedGroups: the process groups of the children one owner started (an AgentHost), so that the
// owner, when it shuts down, ends every child still running, whoever holds the ChildProcess.
//
// A child leaves the set before it is reaped: a group id in the set always names a child that
// exists (at least as a zombie), so signalling it can never hit a process that reused the number.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <vector>

#include "agent/support/ThreadSafety.hpp"

namespace agent::host::process {

class OwnedGroups {
 public:
  /// Records a group; false once endAll() has run (the caller must end the child itself).
  bool add(pid_t pgid);
  void remove(pid_t pgid);
  /// Refuses new children, then sends SIGTERM to every group, gives them `grace` to leave, and
  /// SIGKILL to the groups still recorded.
  void endAll(std::chrono::milliseconds grace);

 private:
  Mutex mutex_;
  std::vector<pid_t> groups_ AGENT_GUARDED_BY(mutex_);
  bool closed_ AGENT_GUARDED_BY(mutex_) = false;
};

}  // namespace agent::host::process
