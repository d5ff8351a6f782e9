// ThreadCensus: the ids of this process's threads, to find threads a plugin left running.
//
// A thread a plugin started and did not join runs plugin code after the library is unmapped and
// crashes the process at exit. The loader takes a census around create() and after destroy()
// (in debug builds, or with AGENT_CHECK_PLUGIN_THREADS=true) and names the plugin.
#pragma once

#include <set>

#include <sys/types.h>

namespace agent::host {

/// The ids in /proc/self/task; empty when it cannot be read.
std::set<pid_t> threadIds();

/// The ids in `after` that are not in `before`.
std::set<pid_t> newThreads(const std::set<pid_t>& before, const std::set<pid_t>& after);

}  // namespace agent::host
