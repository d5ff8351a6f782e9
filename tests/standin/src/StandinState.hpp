// StandinState: everything the stand-in's connections share: options, the script queue, the
// request log, counters, and the stop signal every wait in the server listens to.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/StreamSocket.h>

#include "HttpRequest.hpp"
#include "RecordedRequest.hpp"
#include "ResponseScript.hpp"
#include "StandinOptions.hpp"

namespace agent::standin {

class StandinState {
 public:
  explicit StandinState(StandinOptions options);

  const StandinOptions& options() const { return options_; }
  /// /v1/models bodies, built once (the catalog never changes): plain and with the Codex duplicate.
  const std::string& modelsBody(bool codex) const { return codex ? modelsCodexBody_ : modelsBody_; }

  // Scripts (FIFO).
  void pushScript(const ResponseScript& script, int count);
  std::optional<ResponseScript> popScript();
  void clearScripts();
  std::size_t queuedScripts() const;

  // Request log and counters.
  void record(const HttpRequest& request);
  std::vector<RecordedRequest> records() const;
  void resetRecords();
  void countChatRequest() { chatRequests_.fetch_add(1, std::memory_order_relaxed); }
  std::size_t chatRequests() const { return chatRequests_.load(std::memory_order_relaxed); }
  std::size_t connections() const { return connections_.load(std::memory_order_relaxed); }
  void markStreamFrameSent();
  std::optional<std::chrono::steady_clock::time_point> lastStreamFrameSentAt() const;

  // Lifecycle. Every pause in the server goes through waitFor() so that stop() cuts it short.
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  /// Sleeps for `duration` unless stopping; false when the stand-in is stopping.
  bool waitFor(std::chrono::milliseconds duration);
  /// Registers a live connection; false (do not serve it) when stopping.
  bool openConnection(const Poco::Net::StreamSocket& socket);
  void closeConnection(const Poco::Net::StreamSocket& socket);
  /// Raises the stop signal and shuts down every live socket so blocked reads return at once.
  void beginStop();
  void resume();

 private:
  const StandinOptions options_;
  std::string modelsBody_;
  std::string modelsCodexBody_;

  mutable std::mutex dataMutex_;
  std::deque<ResponseScript> scripts_;
  std::deque<RecordedRequest> records_;
  std::optional<std::chrono::steady_clock::time_point> lastStreamFrame_;
  std::atomic<std::size_t> chatRequests_{0};
  std::atomic<std::size_t> connections_{0};

  std::atomic<bool> stopping_{false};
  std::mutex lifecycleMutex_;
  std::condition_variable lifecycleChanged_;
  std::map<Poco::Net::SocketImpl*, Poco::Net::StreamSocket> live_;
};

}  // namespace agent::standin
