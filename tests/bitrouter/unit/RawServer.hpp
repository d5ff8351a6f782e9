// RawServer: a raw-socket HTTP/1.1 server on 127.0.0.1 for the faults Poco's HTTPServer cannot
// produce on cue: a kept-alive connection closed after its request was read, a response
// trickled one byte at a time, an idle connection closed by the server.
//
// Connections are served one after another on one thread; each complete request (headers and
// Content-Length body) is handed to the test's behaviour, which writes whatever it likes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

namespace agent::bitrouter::test {

class RawServer {
 public:
  /// `connection` and `request` count from 1 (requests across all connections). Returns
  /// whether to keep the connection open for another request.
  using Behavior = std::function<bool(const RawServer& server, Poco::Net::StreamSocket& socket,
                                      int connection, int request)>;

  explicit RawServer(Behavior behavior);
  ~RawServer();

  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::uint16_t port() const { return socket_.address().port(); }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port()); }
  int connections() const { return connections_; }
  int requests() const { return requests_; }
  /// Waits until the server has closed `count` connections in all (false after `limit`).
  bool waitForClosedConnections(int count,
                                std::chrono::milliseconds limit = std::chrono::seconds(10)) const;

  /// Writes all of `bytes`; false once the client is gone (never SIGPIPE).
  static bool send(Poco::Net::StreamSocket& socket, std::string_view bytes);
  /// Writes `bytes` one byte every `delay`; false once the client is gone or the server stops
  /// (which cuts the current delay short).
  bool trickle(Poco::Net::StreamSocket& socket, std::string_view bytes,
               std::chrono::milliseconds delay) const;

  /// A complete 200 response carrying `body` as JSON, with `extraHeaders` ("Name: value\r\n"...).
  static std::string okResponse(const std::string& body, const std::string& extraHeaders = {});

 private:
  static bool readRequest(Poco::Net::StreamSocket& socket);
  void serve();

  Behavior behavior_;
  Poco::Net::ServerSocket socket_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  // The destructor shuts down the listener and the connection being served, so that a blocked
  // poll or read ends at once; the mutex keeps the descriptor from being closed meanwhile.
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;  // stop_ set or a connection closed
  Poco::Net::StreamSocket current_;          // guarded by mutex_
  int closed_ = 0;                           // guarded by mutex_
  std::thread thread_;
};

}  // namespace agent::bitrouter::test
