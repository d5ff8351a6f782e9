// BitRouterStandin: a real HTTP server that speaks BitRouter's wire contract, for tests and demos.
//
// This is a stand-in, not BitRouter: no upstreams, no routing, no metering. It answers
// /v1/chat/completions (plain and SSE), /v1/models and /health the way the BitRouter daemon does
// (status codes, error envelopes, auth messages, SSE framing), replies deterministically, and can
// be scripted per request to fail in the ways a client must survive: error statuses, delays,
// dropped connections, truncated streams. Integration tests use it in-process; the
// bitrouter-standin executable serves it to demos and benchmarks.
//
//   BitRouterStandin standin;           // 127.0.0.1, ephemeral port, skip_auth
//   standin.start();
//   standin.script({.status = 429});    // the next chat request is rate limited
//   client.post(standin.baseUrl() + "/v1/chat/completions", ...);
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "RecordedRequest.hpp"
#include "ResponseScript.hpp"
#include "StandinOptions.hpp"

namespace agent::standin {

class BitRouterStandin {
 public:
  explicit BitRouterStandin(StandinOptions options = {});
  ~BitRouterStandin();  // stops
  BitRouterStandin(const BitRouterStandin&) = delete;
  BitRouterStandin& operator=(const BitRouterStandin&) = delete;

  /// Binds and starts serving; throws Poco::Exception when the address cannot be bound. Starting
  /// again after stop() reuses the same port.
  void start();
  /// Stops accepting, ends every open connection (including held and delayed ones) and returns
  /// once they are gone. Idempotent, never blocks for long.
  void stop();
  bool running() const;

  std::uint16_t port() const;   // the bound port (before start(): the configured one)
  std::string baseUrl() const;  // "http://127.0.0.1:<port>" (no /v1)

  /// Queues a behaviour for the next chat request that reaches the "upstream" stage.
  void script(ResponseScript script);
  void scriptRepeated(ResponseScript script, int count);
  void clearScripts();
  std::size_t queuedScripts() const;

  /// Requests received on every path except /health and the stand-in's own /_standin/* endpoints.
  std::vector<RecordedRequest> requests() const;
  std::size_t chatRequestCount() const;  // POST /v1/chat/completions received, whatever the outcome
  std::size_t connectionCount() const;   // TCP connections accepted (proves keep-alive reuse)
  /// Forgets recorded requests and zeroes both counters.
  void resetRecords();

  /// When the most recent stream wrote its last frame (to prove a client reads incrementally).
  std::optional<std::chrono::steady_clock::time_point> lastStreamFrameSentAt() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agent::standin
