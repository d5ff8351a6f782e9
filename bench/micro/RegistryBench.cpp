// Registry resolution, and the whole host side of a useModel call (settings merge, LLM_MODE,
// resolution, the call through the provider interface) with a provider that does nothing.
#include <benchmark/benchmark.h>

#include <memory>
#include <sstream>

#include "MicroSupport.hpp"
#include "agent/host/AgentRuntime.hpp"
#include "agent/host/Logger.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/Settings.hpp"

namespace agent::bench::micro {
namespace {

using host::ModelRegistry;

// Answers at once: what is left of a call is the host's own work.
class NoopProvider : public ModelProvider {
 public:
  std::vector<ModelType> supportedModelTypes() const noexcept override {
    return {ModelType::TextSmall};
  }
  ModelResult generateText(ModelType, const GenerateTextParams&) noexcept override {
    return ModelOutput{};
  }
};

// Two providers over the seven text tiers, as with bitrouter and echo both enabled.
std::unique_ptr<ModelRegistry> makeRegistry(bool onlySmall) {
  auto registry = std::make_unique<ModelRegistry>();
  auto first = std::make_shared<NoopProvider>();
  auto second = std::make_shared<NoopProvider>();
  for (ModelType type :
       {ModelType::TextNano, ModelType::TextSmall, ModelType::TextMedium, ModelType::TextLarge,
        ModelType::TextMega, ModelType::ResponseHandler, ModelType::ActionPlanner}) {
    if (onlySmall && type != ModelType::TextSmall) continue;
    registry->registerModel(type, first, "bitrouter", 0);
    registry->registerModel(type, second, "echo", 0);
  }
  return registry;
}

void resolveLoop(benchmark::State& state, const ModelRegistry& registry, ModelType type,
                 std::optional<std::string_view> provider) {
  AllocationProbe probe;
  for (auto _ : state) {
    auto resolution = registry.resolve(type, provider);
    if (!resolution) state.SkipWithError("nothing resolved");
    benchmark::DoNotOptimize(resolution);
  }
  probe.report(state);
}

void BM_RegistryResolve_Direct(benchmark::State& state) {
  const auto registry = makeRegistry(false);
  resolveLoop(state, *registry, ModelType::TextSmall, std::nullopt);
}
BENCHMARK(BM_RegistryResolve_Direct);

// ACTION_PLANNER -> TEXT_MEDIUM -> TEXT_SMALL: the longest fallback chain, two misses first.
void BM_RegistryResolve_Fallback(benchmark::State& state) {
  const auto registry = makeRegistry(true);
  resolveLoop(state, *registry, ModelType::ActionPlanner, std::nullopt);
}
BENCHMARK(BM_RegistryResolve_Fallback);

// --provider echo: the second registration of the list.
void BM_RegistryResolve_NamedProvider(benchmark::State& state) {
  const auto registry = makeRegistry(false);
  resolveLoop(state, *registry, ModelType::TextSmall, std::string_view("echo"));
}
BENCHMARK(BM_RegistryResolve_NamedProvider);

// The host's whole share of a call, reading settings from this process's real environment.
void BM_RuntimeUseModel_Noop(benchmark::State& state) {
  const auto registry = makeRegistry(false);
  std::ostringstream logs;
  host::Logger logger(logs, LogLevel::Warn);
  const host::Settings settings;
  const host::AgentRuntime runtime(settings, *registry, logger);
  GenerateTextParams base;
  base.prompt = "Say hello in one short sentence.";
  AllocationProbe probe;
  for (auto _ : state) {
    GenerateTextParams params = base;
    auto result = runtime.useModel(ModelType::TextSmall, std::move(params));
    benchmark::DoNotOptimize(result);
  }
  probe.report(state);
}
BENCHMARK(BM_RuntimeUseModel_Noop);

}  // namespace
}  // namespace agent::bench::micro
