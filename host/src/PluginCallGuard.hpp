// PluginCallGuard: knows which plugin the current thread is running, so that a plugin that ends
// the process (an exception escaping a noexcept call, std::terminate) is named in the last line
// on stderr.
//
// The loader wraps every provider in a GuardedProvider, which marks the calling thread as "inside
// plugin X" for the length of each call; the terminate handler installed by
// installPluginTerminateHandler() prints the plugin, its file and the exception, then aborts.
// Outside plugin calls it defers to the handler that was installed before.
#pragma once

#include <memory>
#include <string>

#include "agent/EventObserver.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/ToolProvider.hpp"

namespace agent::host {

/// A loaded plugin as the terminate handler names it.
struct PluginIdentity {
  std::string name;
  std::string file;
};

/// Marks the current thread as running `plugin`'s code until destroyed (nests).
class PluginCallScope {
 public:
  explicit PluginCallScope(const PluginIdentity* plugin) noexcept;
  ~PluginCallScope();
  PluginCallScope(const PluginCallScope&) = delete;
  PluginCallScope& operator=(const PluginCallScope&) = delete;

 private:
  const PluginIdentity* previous_;
};

/// Installs the terminate handler once per process; later calls do nothing.
void installPluginTerminateHandler();

/// `provider` with every call made inside a PluginCallScope of `plugin`.
std::shared_ptr<ModelProvider> guardProvider(std::shared_ptr<ModelProvider> provider,
                                             std::shared_ptr<const PluginIdentity> plugin);
std::shared_ptr<ToolProvider> guardToolProvider(std::shared_ptr<ToolProvider> provider,
                                                std::shared_ptr<const PluginIdentity> plugin);
std::shared_ptr<EventObserver> guardObserver(std::shared_ptr<EventObserver> observer,
                                             std::shared_ptr<const PluginIdentity> plugin);

}  // namespace agent::host
