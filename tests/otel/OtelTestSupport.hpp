// OtelTestSupport: what the otel plugin's tests share: the real otel.so loaded through the host's
// loader (kept alive with its observer, which loadPluginForTest does not keep), events shaped like
// the host's, and the protobuf check of a captured payload (tests/otel/proto/check-otlp.js).
#pragma once

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/Events.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/PluginLoader.hpp"
#include "agent/host/Settings.hpp"
#include "agent/testing/FakeHostServices.hpp"

namespace agent::otel::test {

/// otel.so loaded by the host's PluginLoader with only the settings given.
class LoadedOtel {
 public:
  explicit LoadedOtel(testing::FakeHostServices::SettingMap settings);
  ~LoadedOtel();

  bool loaded() const { return report_.status == host::PluginReport::Status::Loaded; }
  const host::PluginReport& report() const { return report_; }
  /// The plugin's observer, as the host holds it; null when it did not load.
  EventObserver* observer() const;
  /// Destroys the plugin (its final flush) and unloads it; returns how long that took.
  std::chrono::milliseconds unload();
  const testing::FakeHostServices& services() const { return services_; }
  /// The lines the plugin logged at Warn or above.
  std::vector<std::string> warnings() const;

 private:
  testing::FakeHostServices services_;
  host::Settings settings_;
  host::ModelRegistry registry_;
  host::PluginReport report_;
  std::unique_ptr<host::PluginLoader> loader_;
};

/// A 16-byte trace id and 8-byte span ids made from small numbers, for readable tests.
TraceContext traceContext(std::uint8_t trace, std::uint8_t span, std::uint8_t parent);

/// The hex text of the ids traceContext makes.
std::string hexTraceId(std::uint8_t trace);
std::string hexSpanId(std::uint8_t span);

/// A successful call's MODEL_USED, as the BitRouter plugin fills it.
ModelUsedEvent sampleModelUsed(const TraceContext& trace);

/// `body` checked against the OTLP protobuf definitions by check-otlp.js (kind "traces" or
/// "metrics"); the request as a collector decodes it, or a Null document after a test failure.
rapidjson::Document checkWithProtobuf(const std::string& kind, const std::string& body);

/// The spans of a decoded ExportTraceServiceRequest.
std::vector<const rapidjson::Value*> spansOf(const rapidjson::Value& request);

/// An attribute's value as text ("stop" for a string, "12" for an int, "0.5" for a double,
/// "true", "[a,b]" for an array); nullopt when absent.
std::optional<std::string> attribute(const rapidjson::Value& owner, const std::string& key);

}  // namespace agent::otel::test
