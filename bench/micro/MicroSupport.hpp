// MicroSupport: what the micro-benchmarks share: realistic payloads (as the BitRouter stand-in
// sends them) and the allocations-per-iteration counter.
#pragma once

#include <benchmark/benchmark.h>

#include <string>

#include "AllocationCounter.hpp"

namespace agent::bench::micro {

/// A non-streamed chat completion body like the stand-in's (and BitRouter's) for `content`.
std::string completionBody(const std::string& content);

/// One SSE frame ("data: {...}\n\n") carrying a content delta of `content`.
std::string contentFrame(const std::string& content);

/// The closing frames of a stream: the finish chunk and [DONE].
std::string finishFrames();

/// Counts this thread's allocations while the benchmark loop runs; reports them per iteration
/// as the counters "allocs/iter" and "bytes/iter".
class AllocationProbe {
 public:
  AllocationProbe() { AllocationCounter::start(); }
  void report(benchmark::State& state) {
    const AllocationCount count = AllocationCounter::stop();
    const auto iterations = static_cast<double>(state.iterations());
    state.counters["allocs/iter"] = static_cast<double>(count.allocations) / iterations;
    state.counters["bytes/iter"] = static_cast<double>(count.bytes) / iterations;
  }
};

}  // namespace agent::bench::micro
