// LoopbackServer: a small scripted HTTP(S) server on 127.0.0.1 for the client's transport tests.
//
// Real sockets, real Poco HTTP on both sides: the tests exercise keep-alive, chunked SSE,
// timeouts and cut connections as they happen, not through a fake. Each request is recorded and
// answered by the test's handler, which also learns the request's index (0, 1, ...).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

namespace agent::bitrouter::test {

struct RecordedRequest {
  std::string method;
  std::string uri;
  std::string version;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  bool has(const std::string& lowerName) const { return headers.count(lowerName) != 0; }
  std::string header(const std::string& lowerName) const {
    const auto found = headers.find(lowerName);
    return found == headers.end() ? std::string() : found->second;
  }
};

class LoopbackServer {
 public:
  using Handler =
      std::function<void(const RecordedRequest&, Poco::Net::HTTPServerResponse&, int index)>;

  /// Plain HTTP; pass a server Context for HTTPS.
  explicit LoopbackServer(Handler handler, Poco::Net::Context::Ptr tls = nullptr);
  ~LoopbackServer();

  std::uint16_t port() const noexcept { return port_; }
  std::string baseUrl() const;
  std::vector<RecordedRequest> requests() const;
  int requestCount() const;
  int connections() const;  // TCP connections accepted so far

  // Response helpers for handlers.
  static void json(Poco::Net::HTTPServerResponse& response, int status, const std::string& body,
                   const std::map<std::string, std::string>& headers = {});
  static void text(Poco::Net::HTTPServerResponse& response, int status, const std::string& body,
                   const std::string& contentType = "text/plain; charset=utf-8");
  /// Starts a chunked text/event-stream response; write frames to the returned stream and
  /// flush after each.
  static std::ostream& startSse(Poco::Net::HTTPServerResponse& response);
  static void frame(std::ostream& out,
                    const std::string& payload);  // "data: <payload>\n\n" + flush
  /// For handlers: waits `delay`, or less when the server is being destroyed (then false), so a
  /// handler playing a slow server never holds the test up after the client gave up.
  static bool pause(std::chrono::milliseconds delay);

 private:
  class Factory;
  // Shared with the request handlers Poco creates on the connection threads.
  struct State {
    Handler handler;
    std::mutex mutex;
    std::vector<RecordedRequest> requests;
    std::condition_variable stopped;  // wakes pause()
    bool stopping = false;            // guarded by mutex
  };

  std::shared_ptr<State> state_;
  std::uint16_t port_ = 0;
  // Shared with the server: the destructor shuts it down so the acceptor's poll returns at once
  // instead of at its 250 ms tick.
  Poco::Net::ServerSocket listener_;
  // The server's own pool, not Poco's default one: the destructor joins every connection thread,
  // so none outlives the test that started it (ThreadSanitizer saw one still running at exit).
  std::unique_ptr<Poco::ThreadPool> threads_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

/// A chat.completion body with `content` (a JSON value: a quoted string or null).
std::string completionJson(const std::string& contentJson, const std::string& finishReason = "stop",
                           bool withUsage = true);
/// A streamed content chunk and the finish chunk.
std::string deltaJson(const std::string& content);
std::string finishJson(const std::string& reason = "stop");

}  // namespace agent::bitrouter::test
