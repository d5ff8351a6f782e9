// HttpTransport: Streamable HTTP. Each message is a POST to the server's URL (Accept:
// application/json, text/event-stream), answered by JSON, by an SSE stream of messages, or by 202
// for a notification. The session id the server assigns at initialize and the negotiated
// protocol version go on every later request; a 404 for the session ends the connection, so the
// client starts a new session. A stream that breaks before the answer arrived is resumed with a
// GET carrying Last-Event-ID after the server's `retry` delay. close() sends DELETE for the
// session. Each POST runs on a thread of its own, so a long call never holds up the others; a
// notification or answer is accepted by the server before anything sent after it goes out.
#pragma once

#include <atomic>
#include <chrono>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "config/ServerConfig.hpp"
#include "transport/Transport.hpp"

namespace Poco::Net {
class HTTPClientSession;
class HTTPRequest;
}  // namespace Poco::Net

namespace agent::mcp {

class HttpTransport final : public Transport {
 public:
  HttpTransport(std::string url, NamedValues headers, std::chrono::milliseconds timeout);
  ~HttpTransport() override;

  Expected<Done, std::string> open(TransportHandlers handlers) override;
  Expected<Done, std::string> send(std::string_view message) override;
  void setProtocolVersion(const std::string& version) override;
  std::string recentLog() const override;
  void close() override;

 private:
  struct Worker {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  /// One POST; `awaitedId` is the request's id, empty for a notification or an answer.
  void post(const std::string& message, const std::string& awaitedId);
  std::unique_ptr<Poco::Net::HTTPClientSession> makeSession();
  void addHeaders(Poco::Net::HTTPRequest& request) const;
  /// Reads an SSE body; true when the answer to `id` (if any) arrived.
  bool readEvents(std::istream& body, std::string& lastEventId, int& retryMs,
                  const std::string& awaitedId);
  bool resume(std::string lastEventId, int retryMs, const std::string& awaitedId);
  void fail(const std::string& rawId, const std::string& message);
  void note(const std::string& line);
  void track(Poco::Net::HTTPClientSession* session, bool add);

  const std::string url_;
  const NamedValues headers_;
  const std::chrono::milliseconds timeout_;
  std::string host_;
  unsigned short port_ = 0;
  std::string path_;
  bool secure_ = false;

  TransportHandlers handlers_;
  mutable std::mutex mutex_;
  std::string sessionId_;
  std::string protocolVersion_;
  std::string lastProblem_;
  std::list<std::unique_ptr<Worker>> workers_;
  /// Ready once the last notification or answer sent so far was accepted (or failed).
  std::shared_future<void> lastAccepted_;
  std::set<Poco::Net::HTTPClientSession*> active_;
  bool closing_ = false;
  std::atomic<bool> sessionLost_{false};
};

}  // namespace agent::mcp
