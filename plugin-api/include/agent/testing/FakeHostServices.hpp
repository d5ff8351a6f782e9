// FakeHostServices: a HostServices for plugin unit tests: settings from a map, and every log line
// and MODEL_USED event captured for the test to inspect. It starts no child processes. Header-only;
// thread-safe like the real one, since a provider may log from many threads.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/HostServices.hpp"

namespace agent::testing {

/// One line a plugin logged.
struct CapturedLog {
  LogLevel level;
  std::string source;
  std::string message;
};

class FakeHostServices : public HostServices {
 public:
  using SettingMap = std::map<std::string, std::string, std::less<>>;

  explicit FakeHostServices(SettingMap settings = {}) : settings_(std::move(settings)) {}

  void set(std::string key, std::string value) {
    const std::lock_guard lock(mutex_);
    settings_[std::move(key)] = std::move(value);
  }

  std::optional<std::string> setting(std::string_view key) const noexcept override {
    const std::lock_guard lock(mutex_);
    const auto it = settings_.find(key);
    if (it == settings_.end()) return std::nullopt;
    return it->second;
  }

  void log(LogLevel level, std::string_view source,
           std::string_view message) const noexcept override {
    try {
      const std::lock_guard lock(mutex_);
      logs_.push_back({level, std::string(source), std::string(message)});
    } catch (...) {  // a full memory must not end the plugin's call
    }
  }

  void emitModelUsed(const ModelUsedEvent& event) const noexcept override {
    try {
      const std::lock_guard lock(mutex_);
      events_.push_back(event);
    } catch (...) {
    }
  }

  /// Starts nothing: a plugin test that needs child processes loads the plugin into the real host
  /// (agent::testing::loadPluginForTest).
  Expected<std::unique_ptr<ChildProcess>, std::string> startProcess(
      const ProcessSpec& spec) const noexcept override {
    const std::string program = spec.argv.empty() ? std::string("(no program)") : spec.argv[0];
    return "FakeHostServices starts no processes (" + program +
           "): load the plugin with agent::testing::loadPluginForTest";
  }

  std::vector<CapturedLog> logs() const {
    const std::lock_guard lock(mutex_);
    return logs_;
  }

  std::vector<ModelUsedEvent> events() const {
    const std::lock_guard lock(mutex_);
    return events_;
  }

  /// True when some captured log line contains `text`.
  bool logged(std::string_view text) const {
    const std::lock_guard lock(mutex_);
    for (const auto& line : logs_) {
      if (line.message.find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  SettingMap settings_;
  mutable std::vector<CapturedLog> logs_;
  mutable std::vector<ModelUsedEvent> events_;
};

}  // namespace agent::testing
