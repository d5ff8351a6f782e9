#include "agent/host/Logger.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "agent/support/Text.hpp"

namespace agent::host {

std::string_view toString(LogLevel level) {
  switch (level) {
    case LogLevel::Trace:
      return "TRACE";
    case LogLevel::Debug:
      return "DEBUG";
    case LogLevel::Info:
      return "INFO";
    case LogLevel::Warn:
      return "WARN";
    case LogLevel::Error:
      return "ERROR";
  }
  return "?";
}

std::optional<LogLevel> parseLogLevel(std::string_view text) {
  for (LogLevel level :
       {LogLevel::Trace, LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error}) {
    if (text::equalsIgnoreCase(text, toString(level))) return level;
  }
  if (text::equalsIgnoreCase(text, "warning")) return LogLevel::Warn;
  return std::nullopt;
}

Logger::Logger(std::ostream& out, LogLevel threshold) : out_(&out), threshold_(threshold) {}

// Relaxed: the threshold orders nothing else; a thread may see a new threshold a little late.
void Logger::setThreshold(LogLevel threshold) noexcept {
  threshold_.store(threshold, std::memory_order_relaxed);
}

bool Logger::enabled(LogLevel level) const noexcept {
  return level >= threshold_.load(std::memory_order_relaxed);
}

namespace {

// UTC with milliseconds: 2026-11-25T15:04:05.123Z
std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[96];  // generous: the compiler cannot bound the fields of std::tm
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return buffer;
}

}  // namespace

void Logger::log(LogLevel level, std::string_view source, std::string_view message) noexcept {
  try {
    if (!enabled(level)) return;
    std::string line = timestamp();
    std::string levelName(toString(level));
    levelName.resize(5, ' ');
    line += ' ';
    line += levelName;
    line += " [";
    line += source;
    line += "] ";
    line += text::oneLine(message);
    line += '\n';
    MutexLock lock(mutex_);
    out_->write(line.data(), static_cast<std::streamsize>(line.size()));
    out_->flush();
  } catch (...) {
    // Logging must never take the caller down.
  }
}

}  // namespace agent::host
