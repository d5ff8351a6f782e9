// BitRouterClient: one chat call to BitRouter, end to end, with no dependency on the host.
//
// Validates the call locally, builds the body, sends it over a pooled keep-alive connection,
// reads the JSON reply or the SSE stream, validates structured output, retries what is safe
// within the call's deadline (BITROUTER_TIMEOUT_MS, or params.deadline when sooner), honours
// params.cancellation at once, and turns every failure into a one-line ModelError.
// Thread-safe: any number of threads may call chat() at once (each call uses a connection of its
// own). Integration tests drive it directly; BitRouterProvider wraps it for the host (tiers and
// MODEL_USED). Its parts (Poco, RapidJSON) stay behind a pointer.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "agent/GenerateTextParams.hpp"
#include "agent/HostServices.hpp"
#include "agent/ModelResult.hpp"
#include "agent/bitrouter/BitRouterConfig.hpp"
#include "agent/bitrouter/ConnectionPoolOptions.hpp"
#include "agent/bitrouter/ModelsProbe.hpp"

namespace agent::bitrouter {

struct ClientOptions {
  /// Receives the client's own log lines (retries, keep-alive reconnects). Never sees the key.
  std::function<void(LogLevel, std::string_view)> log;
  /// Waits between attempts; defaults to sleeping (and waking at once at a cancellation). Tests
  /// may record instead; a cancellation is then seen when the wait returns.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// How many connections the client keeps alive, and for how long.
  ConnectionPoolOptions pool;
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
  /// params.responseSchema is set), finish reason, usage (estimated when BitRouter sent none),
  /// the model string, the request id and the number of attempts. Never throws.
  ModelResult chat(const ModelChoice& model, const GenerateTextParams& params) noexcept;

  /// The same for a bare model string (error hints then name no setting).
  ModelResult chat(std::string_view model, const GenerateTextParams& params) noexcept;

  /// GET /v1/models with `timeout` for the whole exchange. Never throws.
  ModelsProbe listModels(std::chrono::milliseconds timeout) noexcept;

  /// listModels() on a thread of the client's own, so that nobody waits for it: `done` gets the
  /// result on that thread when it finishes. One at a time (a second call while one runs does
  /// nothing). The client's destructor cancels it and waits for it; `done` is not called then.
  void listModelsInBackground(std::chrono::milliseconds timeout,
                              std::function<void(const ModelsProbe&)> done);

  const BitRouterConfig& config() const noexcept;

  /// Connections currently kept alive for reuse.
  std::size_t idleConnections() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace agent::bitrouter
