// Logger: the host's log sink: one line per message, filtered by level, written to a stream.
//
//   2026-11-25T15:04:05.123Z WARN  [bitrouter] BITROUTER_PRIORITY is not an integer ...
//
// Thread-safe. Tests point it at a string stream to assert on what users would see.
#pragma once

#include <mutex>
#include <optional>
#include <ostream>
#include <string_view>

#include "agent/HostServices.hpp"

namespace agent::host {

std::string_view toString(LogLevel level);
std::optional<LogLevel> parseLogLevel(std::string_view text);  // trace|debug|info|warn|error

class Logger {
 public:
  explicit Logger(std::ostream& out, LogLevel threshold = LogLevel::Info);

  void setThreshold(LogLevel threshold) noexcept;
  bool enabled(LogLevel level) const noexcept;
  void log(LogLevel level, std::string_view source, std::string_view message) noexcept;

 private:
  std::ostream* out_;
  LogLevel threshold_;
  mutable std::mutex mutex_;
};

}  // namespace agent::host
