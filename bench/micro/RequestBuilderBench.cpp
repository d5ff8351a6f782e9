// ChatRequestBuilder::build: the JSON body of one call, into a reused buffer (as a pooled
// connection's CallBuffers keeps it).
#include <benchmark/benchmark.h>

#include <rapidjson/stringbuffer.h>

#include "MicroSupport.hpp"
#include "chat/ChatRequestBuilder.hpp"

namespace agent::bench::micro {
namespace {

using bitrouter::ChatRequest;
using bitrouter::ChatRequestBuilder;

void buildLoop(benchmark::State& state, const GenerateTextParams& params, bool stream) {
  const ChatRequest request{"gpt-4o-mini", params, nullptr, false, stream};
  rapidjson::StringBuffer body;
  ChatRequestBuilder::build(request, body);  // warm-up: the buffer reaches its size
  AllocationProbe probe;
  for (auto _ : state) {
    if (ChatRequestBuilder::validate(params)) state.SkipWithError("invalid params");
    ChatRequestBuilder::build(request, body);
    benchmark::DoNotOptimize(body.GetString());
  }
  probe.report(state);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.GetSize()));
}

// What `agent-host bench` sends: one short prompt, nothing else.
void BM_BuildRequest_Prompt(benchmark::State& state) {
  GenerateTextParams params;
  params.prompt = "Say hello in one short sentence.";
  buildLoop(state, params, false);
}
BENCHMARK(BM_BuildRequest_Prompt);

void BM_BuildRequest_PromptStream(benchmark::State& state) {
  GenerateTextParams params;
  params.prompt = "Say hello in one short sentence.";
  buildLoop(state, params, true);
}
BENCHMARK(BM_BuildRequest_PromptStream);

// An agent-sized call: a 2 KB system prompt, a 1 KB user prompt with escapes, sampling options.
void BM_BuildRequest_Agent(benchmark::State& state) {
  GenerateTextParams params;
  params.system = std::string(2048, 's');
  params.prompt = std::string(1000, 'p') + "\n\"quoted\"\ttabbed";
  params.temperature = 0.7;
  params.maxTokens = 512;
  params.stopSequences = std::vector<std::string>{"\n\nUser:", "</answer>"};
  buildLoop(state, params, false);
}
BENCHMARK(BM_BuildRequest_Agent);

}  // namespace
}  // namespace agent::bench::micro
