// SpanIds: the ids of a span, from the event's TraceContext or, when the host did not trace the
// operation, fresh random ones (a root span of a trace of its own).
#pragma once

#include <cstdint>
#include <random>

#include "agent/TraceContext.hpp"
#include "agent/support/ThreadSafety.hpp"
#include "trace/SpanData.hpp"

namespace agent::otel {

class SpanIds {
 public:
  SpanIds();

  /// Copies the ids of `trace` into `span`, or gives it new ones when `trace` is not valid.
  void assign(const TraceContext& trace, SpanData& span);

 private:
  Mutex mutex_;
  std::mt19937_64 random_ AGENT_GUARDED_BY(mutex_);
};

}  // namespace agent::otel
