#include "trace/SpanIds.hpp"

#include <algorithm>
#include <cstring>

namespace agent::otel {
namespace {

template <std::size_t N>
bool allZero(const std::array<std::uint8_t, N>& bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace

SpanIds::SpanIds() : random_(std::random_device{}()) {}

void SpanIds::assign(const TraceContext& trace, SpanData& span) {
  if (trace.valid() && !allZero(trace.spanId)) {
    span.traceId = trace.traceId;
    span.spanId = trace.spanId;
    span.parentSpanId = trace.parentSpanId;
    return;
  }
  std::uint64_t words[3];
  {
    const MutexLock lock(mutex_);
    do {
      words[0] = random_();
      words[1] = random_();
    } while (words[0] == 0 && words[1] == 0);
    do {
      words[2] = random_();
    } while (words[2] == 0);
  }
  std::memcpy(span.traceId.data(), &words[0], 16);
  std::memcpy(span.spanId.data(), &words[2], 8);
  span.parentSpanId = {};
}

}  // namespace agent::otel
