#include "TraceIds.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>

namespace agent::host {
namespace {

std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  return engine;
}

// Fills `bytes` with random bytes, never all zero (an all-zero id means "none").
template <std::size_t N>
void fillRandom(std::array<std::uint8_t, N>& bytes) {
  auto& engine = generator();
  do {
    for (std::size_t i = 0; i < N; i += 8) {
      std::uint64_t word = engine();
      for (std::size_t j = i; j < N && j < i + 8; ++j) {
        bytes[j] = static_cast<std::uint8_t>(word);
        word >>= 8;
      }
    }
  } while (std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; }));
}

}  // namespace

TraceContext newTrace() {
  TraceContext context;
  fillRandom(context.traceId);
  fillRandom(context.spanId);
  return context;
}

TraceContext childSpan(const TraceContext& parent) {
  TraceContext context;
  context.traceId = parent.traceId;
  context.parentSpanId = parent.spanId;
  context.sampled = parent.sampled;
  fillRandom(context.spanId);
  return context;
}

TraceContext spanUnder(const TraceContext& caller) {
  return caller.valid() ? childSpan(caller) : newTrace();
}

}  // namespace agent::host
