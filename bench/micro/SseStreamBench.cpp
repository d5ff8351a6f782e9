// SSE per frame: SseParser framing alone, and framing plus StreamAccumulator (the JSON of each
// chunk, the text accumulated), which is what the plugin does for every frame a stream
// delivers. "allocs/iter" is heap allocations per frame once buffers are warm: it should be 0.
#include <benchmark/benchmark.h>

#include <string>

#include "MicroSupport.hpp"
#include "chat/StreamAccumulator.hpp"
#include "transport/SseParser.hpp"

namespace agent::bench::micro {
namespace {

using bitrouter::SseEvent;
using bitrouter::SseParser;
using bitrouter::StreamAccumulator;

// A stream is reset this often so the accumulated text stays bounded (as streams end and the
// connection's buffers are reused by the next call).
constexpr std::int64_t kFramesPerStream = 256;

void BM_SseParser_Frame(benchmark::State& state) {
  const std::string frame = contentFrame("token ");
  SseParser parser;
  std::size_t events = 0;
  const auto onEvent = [&events](const SseEvent& event) {
    events += event.data.size() > 0;
    return true;
  };
  parser.feed(frame, onEvent);  // warm-up
  AllocationProbe probe;
  for (auto _ : state) {
    parser.feed(frame, onEvent);
  }
  probe.report(state);
  benchmark::DoNotOptimize(events);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_SseParser_Frame);

// `split` > 0 feeds each frame in two reads, cut `split` bytes in (a frame across TCP reads).
void streamLoop(benchmark::State& state, std::size_t split) {
  const std::string frame = contentFrame("token ");
  const std::string_view whole(frame);
  SseParser parser;
  StreamAccumulator stream;
  const auto onEvent = [&stream](const SseEvent& event) {
    return stream.onData(event.data) != StreamAccumulator::Step::Malformed;
  };
  const auto feed = [&] {
    if (split == 0) {
      parser.feed(whole, onEvent);
    } else {
      parser.feed(whole.substr(0, split), onEvent);
      parser.feed(whole.substr(split), onEvent);
    }
  };
  for (std::int64_t i = 0; i < kFramesPerStream; ++i)
    feed();  // warm-up: the text buffer reaches its largest size
  stream.reset();
  parser.reset();
  std::int64_t frames = 0;
  AllocationProbe probe;
  for (auto _ : state) {
    feed();
    if (++frames == kFramesPerStream) {
      frames = 0;
      stream.reset();
      parser.reset();
    }
  }
  probe.report(state);
  benchmark::DoNotOptimize(stream.text().size());
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}

void BM_SseStream_Frame(benchmark::State& state) {
  streamLoop(state, 0);
}
BENCHMARK(BM_SseStream_Frame);

void BM_SseStream_FrameSplitAcrossReads(benchmark::State& state) {
  streamLoop(state, 60);
}
BENCHMARK(BM_SseStream_FrameSplitAcrossReads);

}  // namespace
}  // namespace agent::bench::micro
