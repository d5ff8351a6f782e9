// FakeHost: HostServices for tests - a map of settings, and the log lines and MODEL_USED events
// the provider produced.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/HostServices.hpp"

namespace agent::bitrouter::test {

class FakeHost : public HostServices {
 public:
  struct LogLine {
    LogLevel level;
    std::string source;
    std::string message;
  };

  FakeHost() = default;
  explicit FakeHost(std::map<std::string, std::string, std::less<>> settings)
      : settings_(std::move(settings)) {}

  void set(std::string key, std::string value) { settings_[std::move(key)] = std::move(value); }

  std::optional<std::string> setting(std::string_view key) const noexcept override {
    const auto found = settings_.find(key);
    if (found == settings_.end()) return std::nullopt;
    return found->second;
  }

  void log(LogLevel level, std::string_view source,
           std::string_view message) const noexcept override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      logs_.push_back({level, std::string(source), std::string(message)});
    }
    logged_.notify_all();
  }

  void emitModelUsed(const ModelUsedEvent& event) const noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(event);
  }

  Expected<std::unique_ptr<ChildProcess>, std::string> startProcess(
      const ProcessSpec&) const noexcept override {
    return std::string("this test host starts no processes");
  }

  std::vector<LogLine> logs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return logs_;
  }

  std::vector<ModelUsedEvent> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }

  /// True when a line at `level` contains `needle`.
  bool logged(LogLevel level, std::string_view needle) const {
    for (const LogLine& line : logs()) {
      if (line.level == level && line.message.find(needle) != std::string::npos) return true;
    }
    return false;
  }

  /// Waits until a line at `level` contains `needle` (the init probe logs from its own thread).
  bool waitLogged(LogLevel level, std::string_view needle,
                  std::chrono::milliseconds limit = std::chrono::seconds(10)) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return logged_.wait_for(lock, limit, [&] {
      for (const LogLine& line : logs_) {
        if (line.level == level && line.message.find(needle) != std::string::npos) return true;
      }
      return false;
    });
  }

  /// Every log line, joined (to check that a secret never appears).
  std::string allLogText() const {
    std::string all;
    for (const LogLine& line : logs())
      all += line.message + "\n";
    return all;
  }

 private:
  std::map<std::string, std::string, std::less<>> settings_;
  mutable std::mutex mutex_;
  mutable std::condition_variable logged_;
  mutable std::vector<LogLine> logs_;
  mutable std::vector<ModelUsedEvent> events_;
};

}  // namespace agent::bitrouter::test
