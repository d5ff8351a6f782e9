// Histogram: a cumulative explicit-bucket histogram, one data point per attribute set, as OTLP's
// HistogramDataPoint carries it. Thread-safe: calls record, the exporter takes snapshots.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "agent/support/ThreadSafety.hpp"
#include "trace/SpanData.hpp"

namespace agent::otel {

struct HistogramPoint {
  Attributes attributes;
  std::vector<std::uint64_t> bucketCounts;  // bounds.size() + 1 buckets
  std::uint64_t count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
};

/// A histogram's state at one moment, with its name and unit.
struct HistogramSnapshot {
  std::string name;
  std::string description;
  std::string unit;
  std::vector<double> bounds;
  std::vector<HistogramPoint> points;
};

class Histogram {
 public:
  Histogram(std::string name, std::string description, std::string unit,
            std::vector<double> bounds);

  /// Adds `value` to the point of `attributes` (string and integer values only).
  void record(double value, const Attributes& attributes);

  HistogramSnapshot snapshot() const;

  /// True once anything was recorded.
  bool empty() const;

 private:
  const std::string name_;
  const std::string description_;
  const std::string unit_;
  const std::vector<double> bounds_;
  mutable Mutex mutex_;
  std::map<std::string, HistogramPoint> points_ AGENT_GUARDED_BY(mutex_);
};

}  // namespace agent::otel
