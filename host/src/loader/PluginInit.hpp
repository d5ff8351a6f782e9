// PluginInit: loads one enabled plugin on a thread of its own, under the init time limit.
//
// Everything that runs plugin code before the plugin is registered runs on that thread: the
// dynamic loader (the plugin's static constructors, and those of the libraries it ships beside
// itself), the entry function, create() and supportedModelTypes(). The loader starts one such
// thread per plugin and waits for them together, so slow inits overlap; it registers the results
// in filename order.
//
// When a load does not finish in time the loader gives up on the plugin and goes on without it:
// the thread is detached and left running. Libraries are loaded with RTLD_NODELETE, so its code
// stays mapped; the thread holds its own reference to the HostServices, so the services outlive
// it (the host closes them when it goes: calls then do nothing). The plugin and whatever it
// allocated are leaked knowingly; the documented rule is that init is quick.
//
// Static constructors hold the dynamic loader's lock while they run, so one that never returns
// makes every later load in the process wait too: those plugins time out as well.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "PluginCallGuard.hpp"
#include "PluginDescriptor.hpp"
#include "PluginFile.hpp"
#include "agent/HostServices.hpp"
#include "agent/PluginEntry.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host {

/// What a load needs; moved onto the load thread.
struct PluginLoadJob {
  PluginFile file;
  std::filesystem::path path;  // where `file` was found (its directory is the plugin's $ORIGIN)
  PluginDescriptor descriptor;
  std::shared_ptr<const PluginIdentity> plugin;
  std::shared_ptr<const HostServices> services;
};

/// A plugin loaded and created.
struct CreatedPlugin {
  std::shared_ptr<boost::dll::shared_library> library;
  const AgentPluginEntry* entry = nullptr;
  AgentPluginInstance instance{};
  std::vector<ModelType> modelTypes;  // supportedModelTypes(), when it serves models
  pid_t loadThread = 0;               // the thread it was loaded on (for the thread census)
};

/// Why a plugin did not load.
struct LoadFailure {
  std::string reason;
  bool initFailed = false;  // create() refused (usually a wrong setting)
  bool timedOut = false;
};

/// A load running on its own thread.
class PluginLoading {
 public:
  /// Starts loading; fails only when no thread can be started.
  static Expected<PluginLoading, LoadFailure> start(PluginLoadJob job);

  /// The outcome, once the load finished or `deadline` passed (then a timed-out failure, and the
  /// thread is left running). Call once.
  Expected<CreatedPlugin, LoadFailure> waitUntil(std::chrono::steady_clock::time_point deadline);

  PluginLoading(PluginLoading&&) noexcept;
  PluginLoading& operator=(PluginLoading&&) noexcept;
  ~PluginLoading();

 private:
  struct State;
  PluginLoading(std::shared_ptr<State> state, std::thread thread) noexcept;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace agent::host
