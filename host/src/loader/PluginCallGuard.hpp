// PluginCallGuard: knows which plugin, and which of its functions, the current thread is running,
// so that a plugin that ends the process is named in the last line on stderr.
//
// The loader wraps every interface a plugin lends (GuardedProvider and friends), and runs the
// plugin's static constructors, entry, create() and destroy(), inside a PluginCallScope that marks
// the calling thread as "inside plugin X, in call Y". installPluginCrashReporter() then names the
// plugin, its file and the call when, inside such a scope:
//   * an exception escapes (the terminate handler: the exception's type and text),
//   * the process gets SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT (abort()): one line written with
//     write(2) from a buffer formatted at load time (async-signal-safe), then the handler that was
//     installed before runs, or the signal's default action (core dumps are kept);
//   * the plugin calls exit() or quick_exit() (an atexit / at_quick_exit check).
// Outside plugin calls every handler defers to the one installed before. A crash from stack
// overflow is not named: the handlers run on the thread's own stack.
#pragma once

#include <memory>
#include <string>

#include "agent/EventObserver.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/ToolProvider.hpp"

namespace agent::host {

/// A loaded plugin as the crash reporter names it. Immutable once made.
struct PluginIdentity {
  std::string name;
  std::string file;
  std::string linePrefix;  // "agent-host: plugin 'NAME' (FILE) ", formatted before any call
};

std::shared_ptr<const PluginIdentity> makePluginIdentity(std::string name, std::string file);

/// Marks the current thread as running `plugin`'s function `call` (a string literal) until
/// destroyed (nests).
class PluginCallScope {
 public:
  PluginCallScope(const PluginIdentity* plugin, const char* call) noexcept;
  ~PluginCallScope();
  PluginCallScope(const PluginCallScope&) = delete;
  PluginCallScope& operator=(const PluginCallScope&) = delete;

 private:
  const PluginIdentity* previousPlugin_;
  const char* previousCall_;
};

/// Installs the terminate handler, the signal handlers and the exit checks once per process;
/// later calls do nothing.
void installPluginCrashReporter();

/// `provider` with every call made inside a PluginCallScope of `plugin`.
std::shared_ptr<ModelProvider> guardProvider(std::shared_ptr<ModelProvider> provider,
                                             std::shared_ptr<const PluginIdentity> plugin);
std::shared_ptr<ToolProvider> guardToolProvider(std::shared_ptr<ToolProvider> provider,
                                                std::shared_ptr<const PluginIdentity> plugin);
std::shared_ptr<EventObserver> guardObserver(std::shared_ptr<EventObserver> observer,
                                             std::shared_ptr<const PluginIdentity> plugin);

}  // namespace agent::host
