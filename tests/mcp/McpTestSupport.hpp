// What the MCP tests share: the npm servers' and the scripted server's commands, a host that
// loads the real mcp.so through the loader with a given MCP configuration, and a server process
// run in the background (the Streamable HTTP server).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "agent/host/AgentHost.hpp"
#include "agent/test/Loopback.hpp"
#include "agent/test/TempDir.hpp"
#include "agent/test/TestEnvironment.hpp"

namespace agent::mcp::test {

/// node_modules/.bin of tests/mcp/servers (npm ci there: scripts/bootstrap.sh).
std::filesystem::path serverBin(const std::string& name);
/// A JSON array of text: ["node", ".../server.js", MODE].
std::string scriptedCommand(const std::string& mode);

/// A stdio server entry: {"command": ..., "args": [...], extra members}.
std::string stdioServer(const std::vector<std::string>& argv, const std::string& extra = "");

/// The real host with mcp.so (and, with `withBitRouter`, bitrouter.so) in a plugins directory of
/// its own, MCP_SERVERS = `config` and `env` as the whole environment; its log is kept.
class McpHost {
 public:
  explicit McpHost(const std::string& config, agent::test::EnvMap env = {},
                   bool withBitRouter = false);
  ~McpHost();

  host::AgentHost& host() { return *host_; }
  ToolProvider& provider();
  ToolSourceStatus status(const std::string& server);
  std::vector<ProvidedTool> tools(std::chrono::milliseconds wait = std::chrono::seconds(20));
  ToolResult call(const std::string& name, const std::string& arguments,
                  std::chrono::milliseconds deadline = std::chrono::seconds(30));
  /// Ends the host (every server) and returns everything it logged.
  std::string finish();

 private:
  agent::test::TempDir plugins_;
  std::ostringstream log_;
  std::unique_ptr<host::AgentHost> host_;
};

/// A program running in the background until destroyed (SIGTERM to its group, then SIGKILL).
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const agent::test::EnvMap& env);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

 private:
  int pid_ = -1;
};

/// The scripted server serving Streamable HTTP in `mode` on a loopback port of its own, until
/// destroyed.
class ScriptedHttpServer {
 public:
  explicit ScriptedHttpServer(const std::string& mode);
  /// The server's entry for MCP_SERVERS: {"type": "streamable-http", "url": ...}.
  std::string entry() const;

 private:
  int port_;
  std::unique_ptr<BackgroundProcess> process_;
};

/// Waits until something accepts connections on 127.0.0.1:port; false after `limit`.
bool waitForPort(int port, std::chrono::milliseconds limit);

bool contains(const std::string& text, const std::string& part);

}  // namespace agent::mcp::test
