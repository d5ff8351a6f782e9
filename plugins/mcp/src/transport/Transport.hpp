// Transport: carries JSON-RPC messages between the client and one MCP server (stdio or
// Streamable HTTP). Messages from the server arrive on the transport's own thread(s) through the
// handlers; a transport that ends calls onClosed once with one line saying why, with
// `sessionEnded` true when the server ended the session (HTTP 404) and nothing failed: the client
// then starts a new session at once, without counting a failure.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "agent/support/Expected.hpp"

namespace agent::mcp {

struct TransportHandlers {
  std::function<void(std::string_view message)> onMessage;
  std::function<void(const std::string& why, bool sessionEnded)> onClosed;
  /// The server refused the request with this JSON-RPC id (its text) without reading it: HTTP 404
  /// for a session it no longer knows. Sending it again on a new session cannot run it twice.
  /// Called before the onClosed that ends the session.
  std::function<void(const std::string& requestId)> onUnread;
  std::function<void(const std::string& warning)> onWarning;
};

class Transport {
 public:
  virtual ~Transport() = default;  // closes, as close()

  /// Connects (starts the process); messages flow to `handlers` until close().
  virtual Expected<Done, std::string> open(TransportHandlers handlers) = 0;
  /// Sends one message. Thread-safe.
  virtual Expected<Done, std::string> send(std::string_view message) = 0;
  /// Called once the handshake settled the protocol version (HTTP sends it on each request).
  virtual void setProtocolVersion(const std::string& version) = 0;
  /// The server's last log lines (stdio: stderr), for error messages; may be empty.
  virtual std::string recentLog() const = 0;
  /// Ends the connection: stdio closes stdin, then SIGTERM, then SIGKILL; HTTP sends DELETE.
  /// No handler runs after it returns.
  virtual void close() = 0;
};

}  // namespace agent::mcp
