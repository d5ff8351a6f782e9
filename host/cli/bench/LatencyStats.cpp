#include "LatencyStats.hpp"

#include <algorithm>
#include <cmath>

namespace agent::bench {
namespace {

double toUs(std::int64_t ns) {
  return static_cast<double>(ns) / 1000.0;
}

}  // namespace

std::int64_t LatencyStats::percentile(const std::vector<std::int64_t>& sortedNs, double p) {
  if (sortedNs.empty()) return 0;
  // Nearest rank: the smallest sample with at least p% of the samples at or below it.
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sortedNs.size()));
  const auto index = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
  return sortedNs[std::min(index, sortedNs.size() - 1)];
}

LatencyStats LatencyStats::from(std::vector<std::int64_t>& samplesNs) {
  LatencyStats stats;
  stats.count = samplesNs.size();
  if (samplesNs.empty()) return stats;
  std::sort(samplesNs.begin(), samplesNs.end());
  long double sum = 0;
  for (std::int64_t sample : samplesNs)
    sum += static_cast<long double>(sample);
  stats.minUs = toUs(samplesNs.front());
  stats.maxUs = toUs(samplesNs.back());
  stats.p50Us = toUs(percentile(samplesNs, 50));
  stats.p90Us = toUs(percentile(samplesNs, 90));
  stats.p99Us = toUs(percentile(samplesNs, 99));
  stats.meanUs = static_cast<double>(sum / static_cast<long double>(samplesNs.size())) / 1000.0;
  return stats;
}

}  // namespace agent::bench
