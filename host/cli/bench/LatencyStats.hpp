// LatencyStats: percentiles of call latencies, in microseconds.
//
// Nearest-rank percentiles over every sample (no histogram buckets, no interpolation), so p99 of
// 1000 calls is the 990th fastest call. Samples are nanoseconds as measured by steady_clock.
#pragma once

#include <cstdint>
#include <vector>

namespace agent::bench {

struct LatencyStats {
  std::size_t count = 0;
  double minUs = 0;
  double p50Us = 0;
  double p90Us = 0;
  double p99Us = 0;
  double maxUs = 0;
  double meanUs = 0;

  /// Summarises `samplesNs`; sorts it in place.
  static LatencyStats from(std::vector<std::int64_t>& samplesNs);

  /// The nearest-rank percentile `p` (0 < p <= 100) of sorted samples, in nanoseconds.
  static std::int64_t percentile(const std::vector<std::int64_t>& sortedNs, double p);
};

}  // namespace agent::bench
