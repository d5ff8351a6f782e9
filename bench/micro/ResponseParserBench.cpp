// ChatResponseParser::parse: a whole non-streamed chat completion body, parsed in place.
#include <benchmark/benchmark.h>

#include <string>

#include "MicroSupport.hpp"
#include "chat/ChatResponseParser.hpp"

namespace agent::bench::micro {
namespace {

using bitrouter::ChatResponseParser;

void parseLoop(benchmark::State& state, const std::string& source) {
  std::string body;
  body.reserve(source.size() + 1);
  AllocationProbe probe;
  for (auto _ : state) {
    body.assign(source);  // parsing is in situ; the copy is what a call's read buffer holds
    auto parsed = ChatResponseParser::parse(body);
    if (!parsed) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(parsed);
  }
  probe.report(state);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * source.size()));
}

// The stand-in's reply to `agent-host bench` (about 300 bytes).
void BM_ParseResponse_Short(benchmark::State& state) {
  parseLoop(state, completionBody("Stand-in reply from gpt-4o-mini: Say hello in one short "
                                  "sentence."));
}
BENCHMARK(BM_ParseResponse_Short);

// A 4 KB answer with escapes.
void BM_ParseResponse_4KB(benchmark::State& state) {
  std::string content;
  while (content.size() < 4096)
    content += "A line of the answer, with \\\"quotes\\\" and a newline.\\n";
  parseLoop(state, completionBody(content));
}
BENCHMARK(BM_ParseResponse_4KB);

}  // namespace
}  // namespace agent::bench::micro
