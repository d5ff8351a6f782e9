#include "OtelObserver.hpp"

#include <stdexcept>

#include "trace/GenAiSpans.hpp"

namespace agent::otel {
namespace {

OtelSettings settingsOrThrow(const HostServices& host) {
  auto settings = readOtelSettings(
      [&host](std::string_view key) -> std::optional<std::string> { return host.setting(key); });
  if (!settings) throw std::runtime_error(settings.error());
  return std::move(settings).value();
}

}  // namespace

OtelObserver::OtelObserver(const HostServices& host)
    : host_(host), settings_(settingsOrThrow(host)) {
  if (settings_.disabled) {
    host_.log(LogLevel::Info, kName, "OTEL_SDK_DISABLED is set: nothing is exported");
    return;
  }
  ExportOrigin origin{settings_.resource, "agent-host.otel", AGENT_OTEL_VERSION};
  exporter_ = std::make_unique<BatchExporter>(settings_, std::move(origin), metrics_, host_);
  std::string where;
  if (settings_.traces) where += "traces to " + settings_.traces->url;
  if (settings_.metrics) {
    where += where.empty() ? "" : ", ";
    where += "metrics to " + settings_.metrics->url;
  }
  host_.log(LogLevel::Info, kName,
            "exporting " + where +
                (settings_.captureContent ? " (prompts included)" : " (prompts not included)"));
}

OtelObserver::~OtelObserver() = default;

void OtelObserver::queueSpan(SpanData span, const TraceContext& trace) noexcept {
  if (!settings_.traces) return;
  ids_.assign(trace, span);
  exporter_->enqueue(std::move(span));
}

void OtelObserver::onModelUsed(const ModelUsedEvent& event) noexcept {
  if (!exporter_) return;
  try {
    if (settings_.metrics) metrics_.record(event);
    if (event.trace.sampled) queueSpan(chatSpan(event, settings_.captureContent), event.trace);
  } catch (...) {  // out of memory: this call goes untraced
  }
}

void OtelObserver::onModelFailed(const ModelFailedEvent& event) noexcept {
  if (!exporter_) return;
  try {
    if (settings_.metrics) metrics_.record(event);
    if (event.trace.sampled) queueSpan(failedChatSpan(event), event.trace);
  } catch (...) {
  }
}

void OtelObserver::onToolEnded(const ToolEndedEvent& event) noexcept {
  if (!exporter_ || !event.trace.sampled) return;
  try {
    queueSpan(toolSpan(event), event.trace);
  } catch (...) {
  }
}

void OtelObserver::onRunEnded(const RunEndedEvent& event) noexcept {
  if (!exporter_ || !event.trace.sampled) return;
  try {
    queueSpan(runSpan(event), event.trace);
  } catch (...) {
  }
}

}  // namespace agent::otel
