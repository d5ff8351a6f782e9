#include "metrics/Histogram.hpp"

#include <algorithm>

namespace agent::otel {
namespace {

// A key naming the attribute set; the separators cannot occur in a key.
std::string attributeKey(const Attributes& attributes) {
  std::string key;
  for (const Attribute& attribute : attributes) {
    key += attribute.key;
    key += '\x1f';
    if (const auto* text = std::get_if<std::string>(&attribute.value)) {
      key += *text;
    } else if (const auto* number = std::get_if<std::int64_t>(&attribute.value)) {
      key += std::to_string(*number);
    }
    key += '\x1e';
  }
  return key;
}

}  // namespace

Histogram::Histogram(std::string name, std::string description, std::string unit,
                     std::vector<double> bounds)
    : name_(std::move(name)),
      description_(std::move(description)),
      unit_(std::move(unit)),
      bounds_(std::move(bounds)) {}

void Histogram::record(double value, const Attributes& attributes) {
  // Bucket i holds values in (bounds[i-1], bounds[i]], as OTLP defines it.
  const std::size_t bucket = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  std::string key = attributeKey(attributes);
  const MutexLock lock(mutex_);
  auto [it, inserted] = points_.try_emplace(std::move(key));
  HistogramPoint& point = it->second;
  if (inserted) {
    point.attributes = attributes;
    point.bucketCounts.assign(bounds_.size() + 1, 0);
    point.min = value;
    point.max = value;
  }
  ++point.bucketCounts[bucket];
  ++point.count;
  point.sum += value;
  point.min = std::min(point.min, value);
  point.max = std::max(point.max, value);
}

HistogramSnapshot Histogram::snapshot() const {
  HistogramSnapshot snapshot{name_, description_, unit_, bounds_, {}};
  const MutexLock lock(mutex_);
  snapshot.points.reserve(points_.size());
  for (const auto& entry : points_)
    snapshot.points.push_back(entry.second);
  return snapshot;
}

bool Histogram::empty() const {
  const MutexLock lock(mutex_);
  return points_.empty();
}

}  // namespace agent::otel
