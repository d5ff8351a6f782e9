// StructuredOutput::validate: a typical 1 KB structured reply (an agent's plan: nested objects,
// arrays, enums, patterns) against its compiled schema, as every responseSchema call pays it.
#include <benchmark/benchmark.h>

#include <string>

#include "MicroSupport.hpp"
#include "schema/CompiledSchema.hpp"
#include "schema/StructuredOutput.hpp"

namespace agent::bench::micro {
namespace {

constexpr const char* kPlanSchema = R"({"type":"object","additionalProperties":false,
  "required":["thought","actions","confidence","tags"],
  "properties":{
    "thought":{"type":"string","maxLength":2000},
    "confidence":{"type":"number","minimum":0,"maximum":1},
    "tags":{"type":"array","items":{"type":"string","pattern":"^[a-z][a-z0-9-]*$"},
            "uniqueItems":true},
    "actions":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,
      "required":["name","priority","args"],
      "properties":{
        "name":{"enum":["SEARCH","REPLY","WAIT","CALL_TOOL"]},
        "priority":{"type":"integer","minimum":1,"maximum":5},
        "args":{"type":"object","properties":{"query":{"type":"string"},
                "limit":{"type":"integer"}}},
        "done":{"type":"boolean"}}}}}})";

std::string planReply() {
  std::string reply = R"({"thought":"The user asks for the weather in three cities and then a )"
                      R"(summary. I will search each city, wait for the results and reply.",)"
                      R"("confidence":0.82,"tags":["weather","multi-step","search"],"actions":[)";
  for (int i = 0; i < 7; ++i) {
    if (i > 0) reply += ',';
    reply += R"({"name":"SEARCH","priority":)" + std::to_string(i % 5 + 1) +
             R"(,"args":{"query":"weather forecast for city number )" + std::to_string(i) +
             R"(","limit":5},"done":false})";
  }
  return reply + "]}";
}

void BM_StructuredOutput_Validate1KB(benchmark::State& state) {
  const auto schema = bitrouter::CompiledSchema::compile(kPlanSchema);
  if (!schema) {
    state.SkipWithError(schema.error().message.c_str());
    return;
  }
  const std::string reply = planReply();
  AllocationProbe probe;
  for (auto _ : state) {
    auto validated = bitrouter::StructuredOutput::validate(reply, *schema.value());
    if (!validated) state.SkipWithError(validated.error().message.c_str());
    benchmark::DoNotOptimize(validated);
  }
  probe.report(state);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * reply.size()));
  state.counters["reply bytes"] = static_cast<double>(reply.size());
}
BENCHMARK(BM_StructuredOutput_Validate1KB);

}  // namespace
}  // namespace agent::bench::micro
