// OtelSettings: the exporter's configuration, read from the standard OpenTelemetry variables
// (through the host's settings, so a character file may set them too).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agent/support/Expected.hpp"
#include "config/KeyValueList.hpp"

namespace agent::otel {

/// Where one signal goes: an http:// URL split for Poco.
struct OtlpEndpoint {
  std::string url;  // as given or derived, for messages
  std::string host;
  std::uint16_t port = 80;
  std::string path;  // e.g. "/v1/traces"
};

struct OtelSettings {
  bool disabled = false;  // OTEL_SDK_DISABLED=true
  std::optional<OtlpEndpoint> traces;
  std::optional<OtlpEndpoint> metrics;
  KeyValues headers;            // OTEL_EXPORTER_OTLP_HEADERS, decoded
  KeyValues resource;           // service.name first, then OTEL_RESOURCE_ATTRIBUTES
  bool captureContent = false;  // OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT
  std::chrono::milliseconds exportTimeout{10000};  // OTEL_EXPORTER_OTLP_TIMEOUT
  std::chrono::milliseconds scheduleDelay{1000};   // OTEL_BSP_SCHEDULE_DELAY
  std::size_t maxQueueSize = 2048;                 // OTEL_BSP_MAX_QUEUE_SIZE
  std::size_t maxExportBatchSize = 512;            // OTEL_BSP_MAX_EXPORT_BATCH_SIZE
  std::chrono::milliseconds metricInterval{5000};  // OTEL_METRIC_EXPORT_INTERVAL
  std::chrono::milliseconds shutdownBudget{2000};  // the final flush's limit
};

using SettingLookup = std::function<std::optional<std::string>(std::string_view)>;

/// The settings, or a one-line reason they cannot be used (an https:// or malformed endpoint, a
/// number that does not parse).
Expected<OtelSettings, std::string> readOtelSettings(const SettingLookup& lookup);

/// `url` (http://host[:port][/path]) split, or a one-line reason.
Expected<OtlpEndpoint, std::string> parseEndpoint(std::string_view url);

}  // namespace agent::otel
