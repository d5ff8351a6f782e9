// StandinServer: accepts connections and serves each on a worker thread (one per live connection,
// up to StandinOptions::maxThreads; more wait in a bounded queue).
//
// Hand-rolled rather than Poco::Net::TCPServer for two reasons: stop() must be prompt (TCPServer's
// acceptor only looks at its stop flag every 250 ms), and a socket must be handed over under a
// mutex and released by the thread that served it, which keeps ThreadSanitizer builds quiet
// (TCPServer drops the last reference on its acceptor thread through atomics TSan cannot see).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "RequestRouter.hpp"
#include "StandinState.hpp"

namespace agent::standin {

class StandinServer {
 public:
  StandinServer(std::shared_ptr<StandinState> state, std::shared_ptr<const RequestRouter> router);
  ~StandinServer();
  StandinServer(const StandinServer&) = delete;
  StandinServer& operator=(const StandinServer&) = delete;

  /// Binds `host:port` (0 = ephemeral) and starts accepting; returns the bound port.
  std::uint16_t start(const std::string& host, std::uint16_t port);
  /// Stops accepting, ends every connection and joins every thread.
  void stop();

 private:
  void acceptLoop();
  void workerLoop();
  void knock();  // connects to the listener so that its poll returns now

  std::shared_ptr<StandinState> state_;
  std::shared_ptr<const RequestRouter> router_;
  Poco::Net::ServerSocket listener_;
  std::string knockHost_;
  std::uint16_t port_ = 0;
  std::size_t maxWorkers_ = 1;
  std::size_t maxQueued_ = 1;

  std::atomic<bool> stopAccepting_{false};
  std::thread acceptor_;

  std::mutex mutex_;
  std::condition_variable work_;
  std::deque<Poco::Net::StreamSocket> pending_;  // accepted, waiting for a worker
  std::vector<std::thread> workers_;
  std::size_t idleWorkers_ = 0;
  bool stopping_ = false;
};

}  // namespace agent::standin
