// ThreadCensus: the ids of this process's threads, to find threads a plugin left running.
//
// A thread a plugin started and did not join keeps running plugin code after destroy(). Libraries
// are never unmapped, so that no longer crashes the process, but it is a bug in the plugin: the
// loader takes a census around the load and after destroy() (in debug builds, or with
// AGENT_CHECK_PLUGIN_THREADS=true) and names the plugin.
#pragma once

#include <set>

#include <sys/types.h>

namespace agent::host {

/// The ids in /proc/self/task; empty when it cannot be read.
std::set<pid_t> threadIds();

/// The ids in `after` that are not in `before`.
std::set<pid_t> newThreads(const std::set<pid_t>& before, const std::set<pid_t>& after);

}  // namespace agent::host
