// ProvidedTools: the tools plugins lend (agent::ToolProvider, e.g. the MCP plugin) as tools of
// the tool loop, so the model is offered them beside the application's own.
//
//   options.moreTools = providedToolSource(host);   // asked again before each model call
#pragma once

#include <chrono>
#include <functional>
#include <vector>

#include "agent/host/PluginLoader.hpp"
#include "agent/host/Settings.hpp"
#include "agent/host/Tool.hpp"

namespace agent::host {

class AgentHost;

/// The tools of `providers`, each running through its provider's callTool (with the loop's
/// deadline and cancellation). Sources still starting are waited for until `readyBy` at most.
std::vector<Tool> providedTools(const std::vector<NamedToolProvider>& providers,
                                std::chrono::steady_clock::time_point readyBy);

/// How long a model call waits for tool sources still starting: MCP_STARTUP_TIMEOUT_MS
/// (default 10000; a value that is not a whole number >= 0 means the default).
std::chrono::milliseconds toolStartupTimeout(const Settings& settings);

/// A ToolLoopOptions::moreTools for the host's providers; empty when it has none.
std::function<std::vector<Tool>()> providedToolSource(const AgentHost& host);

}  // namespace agent::host
