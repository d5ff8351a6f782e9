// Logger: the host's log sink: one line per message, filtered by level, written to a stream.
//
//   2026-11-25T15:04:05.123Z WARN  [bitrouter] BITROUTER_PRIORITY is not an integer ...
//
// Thread-safe. Tests point it at a string stream to assert on what users would see. The threshold
// is atomic, so the check every call makes (enabled) takes no lock; only writing a line does.
#pragma once

#include <atomic>
#include <optional>
#include <ostream>
#include <string_view>

#include "agent/HostServices.hpp"
#include "agent/host/Export.hpp"
#include "agent/support/ThreadSafety.hpp"

namespace agent::host {

AGENT_HOST_API std::string_view toString(LogLevel level);
AGENT_HOST_API std::optional<LogLevel> parseLogLevel(
    std::string_view text);  // trace|debug|info|warn|error

class AGENT_HOST_API Logger {
 public:
  explicit Logger(std::ostream& out, LogLevel threshold = LogLevel::Info);

  void setThreshold(LogLevel threshold) noexcept;
  bool enabled(LogLevel level) const noexcept;
  void log(LogLevel level, std::string_view source, std::string_view message) noexcept
      AGENT_EXCLUDES(mutex_);

 private:
  Mutex mutex_;
  std::ostream* const out_ AGENT_PT_GUARDED_BY(mutex_);  // one writer at a time: lines never mix
  std::atomic<LogLevel> threshold_;
};

}  // namespace agent::host
