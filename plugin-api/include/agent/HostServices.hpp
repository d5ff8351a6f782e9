// HostServices: what the host lends a plugin: settings, a logger, MODEL_USED, and child processes.
//
// The host owns the object and keeps it alive longer than any plugin it created (also past a
// timed-out init). All methods are thread-safe and never throw.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/ChildProcess.hpp"
#include "agent/Events.hpp"
#include "agent/support/Expected.hpp"

namespace agent {

enum class LogLevel { Trace, Debug, Info, Warn, Error };

class HostServices {
 public:
  virtual ~HostServices() = default;

  /// A setting by key, with elizaOS precedence: character secrets, then character settings, then
  /// the process environment. nullopt when no source has it. Values are returned verbatim; a
  /// setting that is not a string in the character file (an object, a number) comes as JSON text.
  virtual std::optional<std::string> setting(std::string_view key) const noexcept = 0;

  /// Writes one log line attributed to `source` (usually the plugin name). Never pass secrets.
  virtual void log(LogLevel level, std::string_view source,
                   std::string_view message) const noexcept = 0;

  /// Delivers MODEL_USED to the host's subscribers and observers. Never blocks on them.
  virtual void emitModelUsed(const ModelUsedEvent& event) const noexcept = 0;

  /// Starts a child process (see agent/ChildProcess.hpp for what it inherits and how it ends).
  /// The error is one line naming the program and the cause.
  virtual Expected<std::unique_ptr<ChildProcess>, std::string> startProcess(
      const ProcessSpec& spec) const noexcept = 0;
};

}  // namespace agent
