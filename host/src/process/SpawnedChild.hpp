// SpawnedChild: the host's ChildProcess, a program started with posix_spawn.
//
// What the child gets: fds 0, 1 and 2 (pipes to the host) and nothing else, whatever the host or
// its plugins opened without close-on-exec; the environment it is given; a process group of its
// own, recorded in LiveGroups (for the CLI's signal handlers) and in its owner's OwnedGroups (for
// the host's shutdown); default signal dispositions and an empty signal mask. When the child
// leaves, what remains of its group (a background job it left behind) is killed with it.
#pragma once

#include <memory>
#include <string>

#include "agent/ChildProcess.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host::process {

class OwnedGroups;

/// A started child, or one line saying why it could not start.
using StartResult = Expected<std::unique_ptr<ChildProcess>, std::string>;

/// Starts `spec`. With `owner`, the child is recorded there until it is reaped.
StartResult spawnChild(const ProcessSpec& spec, std::shared_ptr<OwnedGroups> owner);

}  // namespace agent::host::process
