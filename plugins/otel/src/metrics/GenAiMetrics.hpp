// GenAiMetrics: the GenAI client metrics (gen_ai.client.token.usage in {token} and
// gen_ai.client.operation.duration in seconds), with the conventions' bucket boundaries and
// attributes, cumulative since the plugin started.
#pragma once

#include <cstdint>
#include <vector>

#include "agent/Events.hpp"
#include "metrics/Histogram.hpp"

namespace agent::otel {

struct MetricsSnapshot {
  std::uint64_t startUnixNano = 0;  // when counting began (cumulative temporality)
  std::uint64_t timeUnixNano = 0;
  std::vector<HistogramSnapshot> histograms;
};

class GenAiMetrics {
 public:
  GenAiMetrics();

  void record(const ModelUsedEvent& event);
  void record(const ModelFailedEvent& event);

  /// Nothing recorded yet: no export is needed.
  bool empty() const;
  MetricsSnapshot snapshot() const;

 private:
  const std::uint64_t startUnixNano_;
  Histogram tokenUsage_;
  Histogram operationDuration_;
};

}  // namespace agent::otel
