#include "BenchCommand.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "BenchReport.hpp"
#include "LoadRunner.hpp"
#include "SharedOptions.hpp"

namespace agent::host::cli {
namespace {

constexpr std::size_t kMaxConcurrency = 1024;

// What one bench thread remembers; padded to a cache line so threads do not share one.
struct alignas(64) WorkerState {
  CallInfo info;
  std::string model;
  std::size_t succeeded = 0;
  std::size_t chunks = 0;
};

class BenchCommand final : public Command {
 public:
  CLI::App& define(CLI::App& app) override {
    CLI::App& command = *app.add_subcommand(
        "bench",
        "Makes N calls from C threads through the selected provider, after warm-up calls per "
        "thread, and prints p50/p90/p99 latency in microseconds, calls per second, CPU time per "
        "call, peak RSS and the time taken to discover, load and init the plugins. Exit 1 if "
        "every call failed");
    addModelTypeOption(command, type_);
    addProviderOption(command, provider_);
    addIntegerOption(
        command, "--requests", load_.requests, {1, std::numeric_limits<std::uint32_t>::max()},
        "Measured calls in total (default " + std::to_string(bench::kDefaultRequests) + ")");
    addIntegerOption(command, "--concurrency", load_.concurrency, {1, kMaxConcurrency},
                     "Threads, each with one call in flight (default 1)");
    addIntegerOption(command, "--warmup", load_.warmupPerThread, {0, 1000000},
                     "Unmeasured calls per thread first (default " +
                         std::to_string(bench::kDefaultWarmupPerThread) + ")");
    command.add_option("--prompt", prompt_, "The prompt of every call")
        ->type_name("TEXT")
        ->default_str(std::string(bench::kDefaultPrompt));
    command.add_flag("--stream", stream_, "Stream every call")->disable_flag_override();
    command.add_flag("--json", json_, "Print one JSON object")->disable_flag_override();
    // Not an option: here only to answer a stray PROMPT with a pointer to --prompt.
    command.add_option("words", words_)->group("");
    return command;
  }

  int run(CommandContext& context) override;

 private:
  ModelType type_ = ModelType::TextSmall;
  std::optional<std::string> provider_;
  bench::LoadOptions load_;
  std::string prompt_{bench::kDefaultPrompt};
  std::vector<std::string> words_;
  bool stream_ = false;
  bool json_ = false;
};

int BenchCommand::run(CommandContext& context) {
  // Everything the user typed is checked before any plugin loads.
  if (!words_.empty()) {
    throw UsageError("bench takes no PROMPT argument: use --prompt TEXT");
  }
  const ModelType type = type_;
  const auto& provider = provider_;
  const std::optional<std::string_view> providerView =
      provider ? std::optional<std::string_view>(*provider) : std::nullopt;
  const bench::LoadOptions load = load_;
  const bool stream = stream_;
  const bool json = json_;
  GenerateTextParams base;
  base.prompt = prompt_;

  // Discovery, load and init of every plugin: the whole AgentHost construction.
  const auto loadStart = std::chrono::steady_clock::now();
  auto host = makeHost(context);
  const std::chrono::duration<double, std::milli> pluginLoad =
      std::chrono::steady_clock::now() - loadStart;
  checkProviders(context, *host, provider_);

  const AgentRuntime& runtime = host->runtime();
  std::vector<WorkerState> workers(load.concurrency);
  const auto call = [&](std::size_t worker, std::string& error) {
    WorkerState& state = workers[worker];
    GenerateTextParams params = base;  // an agent builds its params per call too
    if (stream) {
      params.stream = true;
      params.onChunk = [&state](std::string_view) {
        ++state.chunks;
        return true;
      };
    }
    ModelResult result = runtime.useModel(type, std::move(params), providerView, &state.info);
    if (!result.ok()) {
      error = failureLine(result.error(), state.info);
      return false;
    }
    if (state.model.empty()) state.model = result.output().model;
    ++state.succeeded;
    return true;
  };
  bench::LoadResult result = bench::LoadRunner::run(load, call);

  bench::BenchReport report = bench::BenchReport::from(result, load);
  report.tool = "agent-host";
  report.stream = stream;
  report.pluginLoadMs = pluginLoad.count();
  std::size_t succeeded = 0;
  std::size_t chunks = 0;
  for (const WorkerState& state : workers) {
    succeeded += state.succeeded;
    chunks += state.chunks;
    if (report.provider.empty() && !state.info.provider.empty()) {
      report.provider = state.info.provider;
      report.modelType = std::string(toString(state.info.servedAs));
    }
    if (report.model.empty()) report.model = state.model;
  }
  if (report.provider.empty()) report.provider = provider.value_or("none");
  if (report.modelType.empty()) report.modelType = std::string(toString(type));
  if (stream && succeeded > 0) {
    report.chunksPerCall = static_cast<double>(chunks) / static_cast<double>(succeeded);
  }

  if (json) {
    report.printJson(context.out);
  } else {
    report.printText(context.out);
  }
  context.out.flush();
  if (!report.firstError.empty()) {
    context.err << "agent-host: bench: " << report.errors << " of " << load.requests
                << " calls failed";
    if (report.warmupErrors > 0)
      context.err << " (and " << report.warmupErrors << " warm-up calls)";
    context.err << "; first: " << report.firstError << '\n' << std::flush;
  }
  return report.ok == 0 ? kExitCallFailed : kExitOk;
}

}  // namespace

std::unique_ptr<Command> makeBenchCommand() {
  return std::make_unique<BenchCommand>();
}

}  // namespace agent::host::cli
