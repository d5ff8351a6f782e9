// ProcessGroups: checks that the processes a tool started are really gone.
//
// An orphaned process is re-parented to the nearest subreaper, else PID 1, which in some
// containers never reaps: its dead children stay zombies and still count as members of their
// process group. A test that wants kill(-pgid, 0) to fail with ESRCH first makes itself the
// subreaper, then reaps the processes it waits for.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace agent::test {

/// Makes this process the reaper of its orphaned descendants (PR_SET_CHILD_SUBREAPER).
void becomeSubreaper();

/// Waits up to `limit` for `pid` to end, reaping it when it is a child of this process; true when
/// it is gone (or a zombie something else must reap).
bool awaitGone(pid_t pid, std::chrono::milliseconds limit);

/// True when the process group `pgid` has no member left: kill(-pgid, 0) fails with ESRCH
/// (within 2 s; dead members re-parented to this process are reaped meanwhile).
bool groupGone(pid_t pgid);

/// Reads "PID PID ..." that a tool wrote to `file`, waiting up to `limit` for it to appear.
std::vector<pid_t> awaitPids(const std::filesystem::path& file, std::chrono::milliseconds limit);

/// SIGKILL to each group and process, then reaps them: what a failed check leaves is cleaned up.
void killLeftovers(const std::vector<pid_t>& pids);

}  // namespace agent::test
