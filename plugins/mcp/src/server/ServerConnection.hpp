// ServerConnection: one configured MCP server, kept connected in the background.
//
// A supervisor thread connects (transport, `initialize`, `notifications/initialized`,
// `tools/list`), then watches the connection; when the server goes away every call in flight
// fails at once with the reason (exit status and last log lines), and the server is restarted
// after 2 s × 2^n, at most maxRetries times in a row. Requests time out after the server's
// timeout; progress notifications restart it, up to ten times the timeout; a request that times
// out or is cancelled is followed by `notifications/cancelled`. Requests from the server that the
// client does not serve get a JSON-RPC error at once; `ping` is answered.
#pragma once

#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/HostServices.hpp"
#include "agent/ToolProvider.hpp"
#include "config/ServerConfig.hpp"
#include "transport/Transport.hpp"

namespace agent::mcp {

struct ServerOptions {
  int maxRetries = 5;
  std::size_t maxResultChars = 25000;
  std::chrono::milliseconds firstBackoff{2000};
};

/// A tool as the server lists it.
struct McpTool {
  std::string name;
  std::string description;
  std::string inputSchema;  // JSON text, as the server wrote it
  bool readOnly = false;
};

class ServerConnection {
 public:
  ServerConnection(ServerConfig config, const HostServices& host, ServerOptions options);
  ~ServerConnection();  // stop()
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  const std::string& name() const noexcept { return config_.name; }

  void start();  // connects in the background
  void stop();   // ends the connection and the server; idempotent

  /// Waits until the server is ready, failed for good, or `deadline`; true when ready.
  bool waitReady(std::chrono::steady_clock::time_point deadline);
  ToolSourceStatus status() const;
  /// The server's tools; listed again first when the server said its list changed.
  std::vector<McpTool> tools();
  /// Calls a tool by its name at the server. `arguments` is a JSON object's text.
  ToolResult callTool(const std::string& tool, std::string_view arguments,
                      const ToolCallContext& context);

 private:
  enum class State { Starting, Ready, Restarting, Failed, Stopped };
  struct Pending;
  struct Reply {
    std::shared_ptr<rapidjson::Document> message;  // the whole response; null on failure
    std::string failure;                           // one line when message is null
    bool unread = false;  // the server refused it unread (its session had ended): may be resent
  };

  void supervise();
  Expected<Done, std::string> connect(std::uint64_t generation);
  Reply request(std::string_view method, const std::string& params, bool withProgress,
                const ToolCallContext* context, std::chrono::milliseconds timeout);
  Expected<std::vector<McpTool>, std::string> listAll(std::chrono::milliseconds timeout);
  void onMessage(std::uint64_t generation, std::string_view text);
  void onClosed(std::uint64_t generation, const std::string& why, bool sessionEnded);
  void onUnread(std::uint64_t generation, const std::string& requestId);
  /// Waits while the server is starting (a first start or a new session), up to the call's
  /// deadline and the server's timeout; then one line saying why it is not ready, or nothing.
  std::optional<std::string> notReadyFor(const ToolCallContext& context);
  void sendQuietly(const std::string& message);
  void log(LogLevel level, const std::string& message) const;
  std::string withLog(std::string message) const;
  static const char* stateName(State state);

  const ServerConfig config_;
  const HostServices& host_;
  const ServerOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  State state_ = State::Starting;
  bool stopping_ = false;
  std::uint64_t generation_ = 0;
  std::shared_ptr<Transport> transport_;
  std::string closedWhy_;  // set when the current connection ended
  bool closed_ = false;
  bool sessionEnded_ = false;  // ... by the server (HTTP 404): not a failure
  std::map<std::int64_t, std::shared_ptr<Pending>> pending_;
  std::string problem_;
  std::string detail_;
  std::vector<McpTool> tools_;
  bool toolsStale_ = false;

  std::mutex listMutex_;  // one tools/list at a time
  std::atomic<std::int64_t> nextId_{1};
  std::thread supervisor_;
};

}  // namespace agent::mcp
