// OtelObserver: the otel plugin: observes model calls, tool runs and runs of the tool loop, and
// exports them as OpenTelemetry GenAI spans and metrics over OTLP/HTTP (JSON).
//
// Handlers run on the thread that delivers events: they build the span, update the histograms and
// queue the span, all in memory; the network is the exporter thread's business.
#pragma once

#include <memory>
#include <optional>

#include "agent/EventObserver.hpp"
#include "agent/HostServices.hpp"
#include "config/OtelSettings.hpp"
#include "exporter/BatchExporter.hpp"
#include "metrics/GenAiMetrics.hpp"
#include "trace/SpanIds.hpp"

namespace agent::otel {

class OtelObserver : public EventObserver {
 public:
  static constexpr std::string_view kName = "otel";

  /// Reads the settings; throws (an init failure the loader reports) when they are unusable.
  explicit OtelObserver(const HostServices& host);
  ~OtelObserver() override;

  void onModelUsed(const ModelUsedEvent& event) noexcept override;
  void onModelFailed(const ModelFailedEvent& event) noexcept override;
  void onToolEnded(const ToolEndedEvent& event) noexcept override;
  void onRunEnded(const RunEndedEvent& event) noexcept override;

 private:
  void queueSpan(SpanData span, const TraceContext& trace) noexcept;

  const HostServices& host_;
  OtelSettings settings_;
  GenAiMetrics metrics_;
  SpanIds ids_;
  std::unique_ptr<BatchExporter> exporter_;  // null when OTEL_SDK_DISABLED
};

}  // namespace agent::otel
