#include "McpToolProvider.hpp"

#include <set>
#include <thread>

#include "agent/support/Text.hpp"
#include "config/ServerConfig.hpp"
#include "protocol/ArgumentCheck.hpp"
#include "protocol/ToolNames.hpp"

namespace agent::mcp {
namespace {

std::size_t maxResultChars(const HostServices& host) {
  if (auto value = host.setting("MCP_MAX_RESULT_CHARS"); value && !text::isBlank(*value)) {
    if (auto number = text::parseInt64(*value); number && *number > 0)
      return static_cast<std::size_t>(*number);
    host.log(LogLevel::Warn, "mcp",
             "MCP_MAX_RESULT_CHARS is '" + text::oneLine(*value) +
                 "', not a positive whole number; 25000 is used");
  }
  return 25000;
}

}  // namespace

McpToolProvider::McpToolProvider(const HostServices& host) : host_(host) {
  const McpConfig config =
      loadMcpConfig([&host](std::string_view key) { return host.setting(key); });
  for (const std::string& problem : config.problems)
    host.log(LogLevel::Error, "mcp", problem);
  ServerOptions options;
  options.maxRetries = config.maxRetries;
  options.maxResultChars = maxResultChars(host);
  for (const ServerConfig& server : config.servers)
    servers_.push_back(std::make_unique<ServerConnection>(server, host, options));
  for (auto& server : servers_)
    server->start();
}

McpToolProvider::~McpToolProvider() {
  // Each stop may wait for a server to leave: all at once, so shutdown takes one grace period.
  std::vector<std::thread> stopping;
  for (auto& server : servers_)
    stopping.emplace_back([&server] { server->stop(); });
  for (auto& thread : stopping)
    thread.join();
}

std::vector<ProvidedTool> McpToolProvider::listTools(
    std::chrono::steady_clock::time_point readyBy) noexcept {
  try {
    std::vector<ProvidedTool> tools;
    std::map<std::string, Route, std::less<>> routes;
    std::set<std::string> names;
    for (auto& server : servers_) {
      const bool ready = server->waitReady(readyBy);
      if (!ready) {
        const ToolSourceStatus status = server->status();
        std::lock_guard lock(mutex_);
        if (warned_[server->name()] != status.state + status.problem) {
          warned_[server->name()] = status.state + status.problem;
          host_.log(LogLevel::Warn, "mcp",
                    "server " + server->name() + " is not ready (" + status.state +
                        "), its tools are left out" +
                        (status.problem.empty() ? std::string() : ": " + status.problem));
        }
        continue;
      }
      {
        std::lock_guard lock(mutex_);
        warned_.erase(server->name());
      }
      for (McpTool& tool : server->tools()) {
        std::string name = modelToolName(server->name(), tool.name);
        if (!names.insert(name).second) {
          name = withHashSuffix(name, server->name() + "\n" + tool.name);
          if (!names.insert(name).second) continue;
        }
        ProvidedTool provided;
        provided.definition.name = name;
        provided.definition.description = tool.description;
        provided.definition.parameters = tool.inputSchema;
        provided.source = server->name();
        provided.originalName = tool.name;
        provided.readOnly = tool.readOnly;
        routes[name] = Route{server.get(), tool.name, tool.inputSchema};
        tools.push_back(std::move(provided));
      }
    }
    std::lock_guard lock(mutex_);
    // Names listed earlier stay routable: a call may arrive from a list taken before this one.
    for (auto& [name, route] : routes)
      routes_[name] = std::move(route);
    return tools;
  } catch (...) {
    return {};
  }
}

std::vector<ToolSourceStatus> McpToolProvider::toolSources() noexcept {
  try {
    std::vector<ToolSourceStatus> sources;
    for (auto& server : servers_)
      sources.push_back(server->status());
    return sources;
  } catch (...) {
    return {};
  }
}

ToolResult McpToolProvider::callTool(std::string_view name, std::string_view arguments,
                                     const ToolCallContext& context) noexcept {
  try {
    Route route;
    {
      std::lock_guard lock(mutex_);
      auto it = routes_.find(name);
      if (it == routes_.end()) {
        return ToolResult{true, "no MCP tool is named " + std::string(name), {}};
      }
      route = it->second;
    }
    if (auto problem = checkArguments(arguments, route.schema))
      return ToolResult{true, std::string(name) + ": " + *problem, {}};
    return route.server->callTool(route.tool, arguments, context);
  } catch (const std::exception& e) {
    return ToolResult{true, std::string("MCP call failed: ") + e.what(), {}};
  } catch (...) {
    return ToolResult{true, "MCP call failed", {}};
  }
}

}  // namespace agent::mcp
