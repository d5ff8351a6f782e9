// PluginInit: runs a plugin's create() with a time limit.
//
// create() runs on its own thread. When it does not finish in time the host gives up on the
// plugin and goes on without it: the thread is detached and left running, and its library is
// never unloaded (unmapping code a thread still runs would crash the process). That plugin and
// whatever its init allocated are leaked knowingly; the documented rule is that init is quick.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <sys/types.h>

#include "PluginCallGuard.hpp"
#include "agent/HostServices.hpp"
#include "agent/PluginEntry.hpp"

namespace agent::host {

using PluginCreateFunction = decltype(AgentPluginEntry::create);

struct PluginInitOutcome {
  std::optional<AgentPluginInstance> instance;  // unset on failure or timeout
  std::string error;                            // the plugin's reason when it failed
  bool timedOut = false;
  pid_t initThread = 0;  // the thread create() ran on (for the thread census)
};

PluginInitOutcome runPluginInit(PluginCreateFunction create, const HostServices& services,
                                std::chrono::milliseconds timeout,
                                std::shared_ptr<const PluginIdentity> plugin);

}  // namespace agent::host
