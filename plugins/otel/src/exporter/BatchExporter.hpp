// BatchExporter: sends spans and metrics to the collector from a thread of its own, so a model call
// never waits on telemetry.
//
// Spans wait in a bounded queue (OTEL_BSP_MAX_QUEUE_SIZE, 2048): when it is full a span is dropped
// and counted, never waited for. The thread sends a batch when 512 are waiting or every second,
// and the cumulative metrics every OTEL_METRIC_EXPORT_INTERVAL (5 s). A collector that refuses,
// hangs or is absent costs one warning line (then one more at most every minute while it stays
// down), never a call. Destruction sends what is left within about two seconds, then gives up.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/HostServices.hpp"
#include "agent/support/ThreadSafety.hpp"
#include "config/OtelSettings.hpp"
#include "exporter/OtlpHttpClient.hpp"
#include "exporter/OtlpJson.hpp"
#include "metrics/GenAiMetrics.hpp"
#include "trace/SpanData.hpp"

namespace agent::otel {

class BatchExporter {
 public:
  /// Starts the thread. `metrics` and `host` must outlive the exporter.
  BatchExporter(const OtelSettings& settings, ExportOrigin origin, const GenAiMetrics& metrics,
                const HostServices& host);
  ~BatchExporter();

  BatchExporter(const BatchExporter&) = delete;
  BatchExporter& operator=(const BatchExporter&) = delete;

  /// Queues a finished span; drops it (counted) when the queue is full. Never blocks on export.
  void enqueue(SpanData span) noexcept;

 private:
  using Clock = std::chrono::steady_clock;

  // What one failing signal (traces or metrics) has said, so a dead collector is one warning.
  struct FailureReport {
    std::uint64_t failures = 0;  // since the last export that worked
    std::optional<Clock::time_point> lastWarning;
  };

  void run();
  void finalFlush();
  void sendSpans(std::vector<SpanData> spans, std::chrono::milliseconds timeout);
  void sendMetrics(std::chrono::milliseconds timeout);
  void noteResult(const char* signal, FailureReport& report,
                  const Expected<Done, std::string>& result);
  void reportDrops();

  const OtelSettings settings_;
  const ExportOrigin origin_;
  const GenAiMetrics& metrics_;
  const HostServices& host_;
  OtlpHttpClient client_;
  FailureReport traceFailures_;   // the export thread's own
  FailureReport metricFailures_;  // the export thread's own
  std::uint64_t reportedDrops_ = 0;
  std::optional<Clock::time_point> lastDropWarning_;

  Mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<SpanData> queue_ AGENT_GUARDED_BY(mutex_);
  std::uint64_t dropped_ AGENT_GUARDED_BY(mutex_) = 0;
  bool stopping_ AGENT_GUARDED_BY(mutex_) = false;
  bool finished_ AGENT_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace agent::otel
