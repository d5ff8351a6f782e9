// PluginEntry: the otel plugin's manifest and its one exported entry.

#include "OtelObserver.hpp"
#include "agent/Plugin.hpp"

namespace {

constexpr std::string_view kAutoEnableKeys[] = {"OTEL_EXPORTER_OTLP_ENDPOINT",
                                                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                                                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"};

constexpr agent::SettingSpec kSettings[] = {
    {"OTEL_EXPORTER_OTLP_ENDPOINT", nullptr,
     "collector base URL (http://host:4318); /v1/traces and /v1/metrics are appended", false},
    {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", nullptr, "full URL for spans (overrides the base)",
     false},
    {"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", nullptr, "full URL for metrics (overrides the base)",
     false},
    {"OTEL_EXPORTER_OTLP_HEADERS", nullptr, "extra request headers: k=v,k2=v2 (percent-encoded)",
     true},
    {"OTEL_EXPORTER_OTLP_TIMEOUT", "10000", "time limit of one export, in ms", false},
    {"OTEL_SERVICE_NAME", "agent-host", "service.name of the exported resource", false},
    {"OTEL_RESOURCE_ATTRIBUTES", nullptr, "more resource attributes: k=v,k2=v2", false},
    {"OTEL_SDK_DISABLED", "false", "true: export nothing", false},
    {"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "false",
     "true: spans carry the prompt (at most 200 characters)", false},
    {"OTEL_BSP_SCHEDULE_DELAY", "1000", "ms between span batches", false},
    {"OTEL_BSP_MAX_QUEUE_SIZE", "2048", "spans waiting at most; more are dropped and counted",
     false},
    {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "512", "spans per export at most", false},
    {"OTEL_METRIC_EXPORT_INTERVAL", "5000", "ms between metric exports", false},
};

constexpr agent::PluginManifest kManifest{
    agent::otel::OtelObserver::kName,
    "Exports model calls and tool runs as OpenTelemetry GenAI spans and metrics (OTLP/HTTP JSON)",
    AGENT_OTEL_VERSION,
    0,
    {},
    kAutoEnableKeys,
    kSettings,
};

}  // namespace

AGENT_PLUGIN(agent::otel::OtelObserver, kManifest)
