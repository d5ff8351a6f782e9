// HostServices: what the host lends a provider: settings, a logger, and the MODEL_USED event.
//
// The host owns the object and keeps it alive longer than any provider it created. All methods
// are thread-safe and never throw.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"

namespace agent {

enum class LogLevel { Trace, Debug, Info, Warn, Error };

/// elizaOS's MODEL_USED payload: emitted by a provider after each successful call.
struct ModelUsedEvent {
  std::string provider;  // the plugin name
  ModelType type;        // the model type whose handler served (after any fallback)
  std::string model;     // the model string sent to the backend
  TokenUsage tokens;
  std::chrono::milliseconds duration{0};  // the whole call, retries included
  std::string requestId{};                // the last attempt's request id, when there was one
  bool streamed = false;
  int attempts = 1;  // requests sent, retries included
};

class HostServices {
 public:
  virtual ~HostServices() = default;

  /// A setting by key, with elizaOS precedence: character secrets, then character settings, then
  /// the process environment. nullopt when no source has it. Values are returned verbatim.
  virtual std::optional<std::string> setting(std::string_view key) const noexcept = 0;

  /// Writes one log line attributed to `source` (usually the plugin name). Never pass secrets.
  virtual void log(LogLevel level, std::string_view source,
                   std::string_view message) const noexcept = 0;

  /// Delivers MODEL_USED to the host's subscribers. A subscriber that fails does not affect the
  /// caller.
  virtual void emitModelUsed(const ModelUsedEvent& event) const noexcept = 0;
};

}  // namespace agent
