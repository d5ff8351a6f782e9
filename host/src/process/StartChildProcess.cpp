// The public entry points of the process module (agent/host/ChildProcesses.hpp).
#include "agent/host/ChildProcesses.hpp"

#include "process/LiveGroups.hpp"
#include "process/SpawnedChild.hpp"

namespace agent::host {

StartedChild startChildProcess(const ProcessSpec& spec) {
  return process::spawnChild(spec, nullptr);
}

void killAllChildProcessGroups() noexcept {
  process::killAllLiveGroups();
}

}  // namespace agent::host
