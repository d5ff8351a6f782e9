// BitRouterClient: one chat call to BitRouter, end to end, with no dependency on the host.
//
// Validates the call locally, builds the body, sends it over a pooled keep-alive connection,
// reads the JSON reply or the SSE stream, validates structured output, retries what the
// contract says is safe within the call's deadline, and turns every failure into a one-line
// ModelError. Thread-safe: any number of threads may call chat() at once (each call uses a
// connection of its own). Integration tests drive it directly; BitRouterProvider wraps it for
// the host (tiers and MODEL_USED).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "agent/GenerateTextParams.hpp"
#include "agent/HostServices.hpp"
#include "agent/ModelResult.hpp"
#include "agent/bitrouter/BitRouterConfig.hpp"
#include "chat/RetryPolicy.hpp"
#include "config/ModelsProbe.hpp"
#include "config/Redactor.hpp"
#include "schema/SchemaCache.hpp"
#include "transport/DeadlineWatchdog.hpp"
#include "transport/HttpSessionPool.hpp"

namespace agent::bitrouter {

struct ClientOptions {
  /// Receives the client's own log lines (retries, keep-alive reconnects). Never sees the key.
  std::function<void(LogLevel, std::string_view)> log;
  /// Waits between attempts; defaults to sleeping. Tests may record instead.
  std::function<void(std::chrono::milliseconds)> sleep;
  HttpSessionPool::Options pool;
};

class BitRouterClient {
 public:
  /// Makes no connection yet. Throws only if an https:// base URL's TLS context cannot be made.
  explicit BitRouterClient(BitRouterConfig config, ClientOptions options = {});
  ~BitRouterClient();

  BitRouterClient(const BitRouterClient&) = delete;
  BitRouterClient& operator=(const BitRouterClient&) = delete;

  /// One chat call for `model`. Streams (stream: true) when params.stream is set and
  /// params.onChunk is given. On success the output carries the text (compact JSON when
  /// params.responseSchema is set), finish reason, usage (estimated when BitRouter sent none)
  /// and the model string. Never throws.
  ModelResult chat(const ModelChoice& model, const GenerateTextParams& params) noexcept;

  /// The same for a bare model string (error hints then name no setting).
  ModelResult chat(std::string_view model, const GenerateTextParams& params) noexcept;

  /// GET /v1/models with `timeout` for the whole exchange. Never throws.
  ModelsProbe listModels(std::chrono::milliseconds timeout) noexcept;

  const BitRouterConfig& config() const noexcept { return config_; }

  /// Connections currently kept alive for reuse.
  std::size_t idleConnections() const { return pool_.idleCount(); }

 private:
  ModelResult run(const ModelChoice& model, const GenerateTextParams& params);
  void log(LogLevel level, std::string_view message) const;

  BitRouterConfig config_;
  ClientOptions options_;
  Redactor redactor_;
  RetryPolicy retryPolicy_;
  HttpSessionPool pool_;
  SchemaCache schemas_;
  DeadlineWatchdog watchdog_;  // this client's own; its thread ends with the client
};

}  // namespace agent::bitrouter
