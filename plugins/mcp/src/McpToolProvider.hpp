// McpToolProvider: the plugin: lends the agent the tools of the configured MCP servers.
//
// Each server has a ServerConnection, started in the background at construction, all at once.
// listTools waits for servers still starting until the host's readyBy, names each MCP tool
// SERVER__TOOL (see protocol/ToolNames.hpp) and remembers which server and tool a name maps back
// to; callTool checks the arguments lightly and forwards the call.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/HostServices.hpp"
#include "agent/ToolProvider.hpp"
#include "server/ServerConnection.hpp"

namespace agent::mcp {

class McpToolProvider final : public ToolProvider {
 public:
  explicit McpToolProvider(const HostServices& host);
  ~McpToolProvider() override;  // stops every server, all at once

  std::vector<ProvidedTool> listTools(
      std::chrono::steady_clock::time_point readyBy) noexcept override;
  std::vector<ToolSourceStatus> toolSources() noexcept override;
  ToolResult callTool(std::string_view name, std::string_view arguments,
                      const ToolCallContext& context) noexcept override;

 private:
  struct Route {
    ServerConnection* server = nullptr;
    std::string tool;
    std::string schema;
  };

  const HostServices& host_;
  std::vector<std::unique_ptr<ServerConnection>> servers_;
  std::mutex mutex_;
  std::map<std::string, Route, std::less<>> routes_;  // model name -> server and tool
  std::map<std::string, std::string> warned_;         // server -> the state last warned about
};

}  // namespace agent::mcp
