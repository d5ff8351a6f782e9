// OtlpReceiver: a loopback OTLP/HTTP collector for the otel plugin's tests (a Poco HTTPServer on
// 127.0.0.1 and an ephemeral port). It records every request, and can be told to accept, to
// refuse with a status, or to hang (read the request and never answer until it is destroyed).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace agent::otel::test {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::string contentType;
  std::map<std::string, std::string> headers;
  std::string body;
};

class OtlpReceiver {
 public:
  enum class Mode { Accept, Refuse, Hang };

  explicit OtlpReceiver(Mode mode = Mode::Accept, int refuseStatus = 503);
  ~OtlpReceiver();  // releases hanging requests, then stops

  std::uint16_t port() const { return port_; }
  std::string baseUrl() const;  // "http://127.0.0.1:<port>"

  std::vector<ReceivedRequest> requests() const;
  /// Requests to `path` so far.
  std::vector<ReceivedRequest> requestsTo(const std::string& path) const;
  /// Waits until `count` requests to `path` arrived; false after `limit`.
  bool waitFor(const std::string& path, std::size_t count, std::chrono::milliseconds limit) const;

  // For the handler.
  void record(ReceivedRequest request);
  Mode mode() const { return mode_; }
  int refuseStatus() const { return refuseStatus_; }
  /// Blocks until the receiver is being destroyed (a hanging collector).
  void hangUntilReleased();

 private:
  const Mode mode_;
  const int refuseStatus_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<ReceivedRequest> requests_;
  bool released_ = false;
  std::uint16_t port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace agent::otel::test
