#include "agent/host/ProvidedTools.hpp"

#include <string>
#include <utility>

#include "agent/host/AgentHost.hpp"
#include "agent/support/Text.hpp"

namespace agent::host {

std::vector<Tool> providedTools(const std::vector<NamedToolProvider>& providers,
                                std::chrono::steady_clock::time_point readyBy) {
  std::vector<Tool> tools;
  for (const NamedToolProvider& named : providers) {
    std::shared_ptr<ToolProvider> provider = named.provider;
    if (!provider) continue;
    for (ProvidedTool& provided : provider->listTools(readyBy)) {
      Tool tool;
      tool.definition = std::move(provided.definition);
      tool.readOnly = provided.readOnly;
      tool.source = provided.source;
      tool.run = [provider, name = tool.definition.name](std::string_view arguments,
                                                         const ToolContext& context) {
        ToolCallContext call;
        call.deadline = context.deadline;
        call.trace = context.trace;
        // The provider's interface takes a mutable token; it only reads it.
        call.cancellation = std::const_pointer_cast<CancellationToken>(context.cancellation);
        const ToolResult result = provider->callTool(name, arguments, call);
        return result.isError ? ToolOutcome::failure(result.text)
                              : ToolOutcome::success(result.text);
      };
      tools.push_back(std::move(tool));
    }
  }
  return tools;
}

std::chrono::milliseconds toolStartupTimeout(const Settings& settings) {
  if (auto value = settings.get("MCP_STARTUP_TIMEOUT_MS"); value && !text::isBlank(*value)) {
    if (auto number = text::parseInt64(*value); number && *number >= 0)
      return std::chrono::milliseconds(*number);
  }
  return std::chrono::milliseconds(10000);
}

std::function<std::vector<Tool>()> providedToolSource(const AgentHost& host) {
  if (host.toolProviders().empty()) return nullptr;
  const auto providers = host.toolProviders();
  const auto timeout = toolStartupTimeout(host.settings());
  return [providers, timeout] {
    return providedTools(providers, std::chrono::steady_clock::now() + timeout);
  };
}

}  // namespace agent::host
