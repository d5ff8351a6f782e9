// StdioTransport: an MCP server as a child process the host starts, speaking newline-delimited
// JSON on stdin/stdout. A reader thread delivers each line; a line that is not JSON-RPC is
// skipped with a warning (servers print banners). stderr is the server's log: its last lines go
// into every error about the server.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "agent/HostServices.hpp"
#include "transport/Transport.hpp"

namespace agent::mcp {

class StdioTransport final : public Transport {
 public:
  StdioTransport(const HostServices& host, ProcessSpec spec);
  ~StdioTransport() override;

  Expected<Done, std::string> open(TransportHandlers handlers) override;
  Expected<Done, std::string> send(std::string_view message) override;
  void setProtocolVersion(const std::string&) override {}
  std::string recentLog() const override;
  void close() override;  // never from a handler

 private:
  void readLoop();
  std::string exitDescription();
  /// The running server, or null before open(): recentLog() asks from other threads while the
  /// supervising thread opens, so the pointer is shared under its own lock.
  std::shared_ptr<ChildProcess> child() const;

  const HostServices& host_;
  const ProcessSpec spec_;
  TransportHandlers handlers_;
  mutable std::mutex childMutex_;
  std::shared_ptr<ChildProcess> child_;  // set once, by open()
  std::mutex writeMutex_;
  std::mutex closeMutex_;
  std::thread reader_;
  std::atomic<bool> closing_{false};
};

}  // namespace agent::mcp
