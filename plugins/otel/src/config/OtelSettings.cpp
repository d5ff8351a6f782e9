#include "config/OtelSettings.hpp"

#include "agent/support/Text.hpp"

namespace agent::otel {
namespace {

std::optional<std::string> nonBlank(const SettingLookup& lookup, std::string_view key) {
  auto value = lookup(key);
  if (!value || agent::text::isBlank(*value)) return std::nullopt;
  return std::string(agent::text::trim(*value));
}

// The endpoint of one signal: its own variable as given, else the base endpoint + the signal's
// path (the OTLP exporter specification's rule).
Expected<std::optional<OtlpEndpoint>, std::string> signalEndpoint(const SettingLookup& lookup,
                                                                  std::string_view ownKey,
                                                                  std::string_view signalPath) {
  std::string url;
  if (auto own = nonBlank(lookup, ownKey)) {
    url = *own;
  } else if (auto base = nonBlank(lookup, "OTEL_EXPORTER_OTLP_ENDPOINT")) {
    url = *base;
    while (!url.empty() && url.back() == '/')
      url.pop_back();
    url += signalPath;
  } else {
    return std::optional<OtlpEndpoint>{};
  }
  auto endpoint = parseEndpoint(url);
  if (!endpoint) return std::string(ownKey) + ": " + endpoint.error();
  return std::optional<OtlpEndpoint>(std::move(endpoint).value());
}

template <class Duration>
std::optional<std::string> readMillis(const SettingLookup& lookup, std::string_view key,
                                      Duration& out) {
  const auto text = nonBlank(lookup, key);
  if (!text) return std::nullopt;
  const auto value = agent::text::parseInt64(*text);
  if (!value || *value <= 0) return std::string(key) + " must be a positive number of ms";
  out = std::chrono::milliseconds(*value);
  return std::nullopt;
}

std::optional<std::string> readCount(const SettingLookup& lookup, std::string_view key,
                                     std::size_t& out) {
  const auto text = nonBlank(lookup, key);
  if (!text) return std::nullopt;
  const auto value = agent::text::parseInt64(*text);
  if (!value || *value <= 0 || *value > 1'000'000) {
    return std::string(key) + " must be a whole number from 1 to 1000000";
  }
  out = static_cast<std::size_t>(*value);
  return std::nullopt;
}

}  // namespace

Expected<OtlpEndpoint, std::string> parseEndpoint(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, 8) == "https://") {
    return "https endpoints are not supported (" + std::string(url) +
           "): export to a local collector over http";
  }
  if (url.substr(0, kScheme.size()) != kScheme) {
    return "the endpoint must start with http:// (" + std::string(url) + ")";
  }
  std::string_view rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  OtlpEndpoint endpoint;
  endpoint.url = std::string(url);
  endpoint.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  // [v6]:port, host:port or host.
  std::string_view portText;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return "malformed endpoint " + std::string(url);
    endpoint.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') {
      portText = authority.substr(close + 2);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) portText = authority.substr(colon + 1);
  }
  if (endpoint.host.empty()) return "the endpoint names no host (" + std::string(url) + ")";
  if (!portText.empty()) {
    const auto port = agent::text::parseInt64(portText);
    if (!port || *port < 1 || *port > 65535) return "bad port in " + std::string(url);
    endpoint.port = static_cast<std::uint16_t>(*port);
  }
  return endpoint;
}

Expected<OtelSettings, std::string> readOtelSettings(const SettingLookup& lookup) {
  OtelSettings settings;
  if (auto disabled = nonBlank(lookup, "OTEL_SDK_DISABLED")) {
    settings.disabled = agent::text::parseSwitch(*disabled).value_or(false);
  }
  auto traces = signalEndpoint(lookup, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "/v1/traces");
  if (!traces) return std::move(traces).error();
  settings.traces = std::move(traces).value();
  auto metrics = signalEndpoint(lookup, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "/v1/metrics");
  if (!metrics) return std::move(metrics).error();
  settings.metrics = std::move(metrics).value();

  if (auto headers = nonBlank(lookup, "OTEL_EXPORTER_OTLP_HEADERS")) {
    settings.headers = parseKeyValueList(*headers);
  }
  KeyValues resource;
  if (auto attributes = nonBlank(lookup, "OTEL_RESOURCE_ATTRIBUTES")) {
    resource = parseKeyValueList(*attributes);
  }
  // OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES.
  std::string serviceName = "agent-host";
  for (auto it = resource.begin(); it != resource.end();) {
    if (it->first == "service.name") {
      serviceName = it->second;
      it = resource.erase(it);
    } else {
      ++it;
    }
  }
  if (auto name = nonBlank(lookup, "OTEL_SERVICE_NAME")) serviceName = *name;
  settings.resource.emplace_back("service.name", serviceName);
  for (auto& pair : resource)
    settings.resource.push_back(std::move(pair));

  if (auto capture = nonBlank(lookup, "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT")) {
    const auto on = agent::text::parseSwitch(*capture);
    if (!on) {
      return "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT takes " +
             std::string(agent::text::kSwitchWords);
    }
    settings.captureContent = *on;
  }
  for (const auto& problem :
       {readMillis(lookup, "OTEL_EXPORTER_OTLP_TIMEOUT", settings.exportTimeout),
        readMillis(lookup, "OTEL_BSP_SCHEDULE_DELAY", settings.scheduleDelay),
        readMillis(lookup, "OTEL_METRIC_EXPORT_INTERVAL", settings.metricInterval),
        readCount(lookup, "OTEL_BSP_MAX_QUEUE_SIZE", settings.maxQueueSize),
        readCount(lookup, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", settings.maxExportBatchSize)}) {
    if (problem) return *problem;
  }
  return settings;
}

}  // namespace agent::otel
