#include "BenchCommand.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "BenchReport.hpp"
#include "LoadRunner.hpp"
#include "TextUtil.hpp"

namespace agent::host::cli {
namespace {

constexpr std::size_t kMaxConcurrency = 1024;

std::size_t countOption(const ParsedArgs& args, std::string_view name, std::size_t fallback,
                        std::size_t minimum, std::size_t maximum) {
  const auto value = args.value(name);
  if (!value) return fallback;
  const auto parsed = text::parseInt64(*value);
  if (!parsed) throw UsageError(std::string(name) + " needs an integer, got '" + *value + "'");
  if (*parsed < static_cast<std::int64_t>(minimum) ||
      static_cast<std::uint64_t>(*parsed) > maximum) {
    throw UsageError(std::string(name) + " must be between " + std::to_string(minimum) + " and " +
                     std::to_string(maximum) + ", got " + *value);
  }
  return static_cast<std::size_t>(*parsed);
}

ModelType modelTypeOption(const ParsedArgs& args) {
  const auto value = args.value("--model");
  if (!value) return ModelType::TextSmall;
  if (auto type = parseModelType(text::toUpper(text::trim(*value)))) return *type;
  throw UsageError("unknown model type '" + *value + "': see 'agent-host --help'");
}

// The same one line `generate` prints, without the program name.
std::string failureLine(const ModelError& error, const CallInfo& info) {
  std::string line;
  if (error.kind == ErrorKind::NoProvider || error.kind == ErrorKind::NoHandler) {
    line += toString(error.kind);
  } else {
    line += info.provider + " failed (" + std::string(toString(info.servedAs)) + "): ";
    line += toString(error.kind);
    if (error.httpStatus != 0) line += " (HTTP " + std::to_string(error.httpStatus) + ")";
  }
  line += ": " + error.message;
  return text::oneLine(line);
}

// What one bench thread remembers; padded to a cache line so threads do not share one.
struct alignas(64) WorkerState {
  CallInfo info;
  std::string model;
  std::size_t succeeded = 0;
  std::size_t chunks = 0;
};

int runBench(const ParsedArgs& args, CommandContext& context) {
  // Everything the user typed is checked before any plugin loads.
  if (!args.positionals().empty()) {
    throw UsageError("bench takes no PROMPT argument: use --prompt TEXT");
  }
  const ModelType type = modelTypeOption(args);
  const auto provider = args.value("--provider");
  const std::optional<std::string_view> providerView =
      provider ? std::optional<std::string_view>(*provider) : std::nullopt;
  bench::LoadOptions load;
  load.requests = countOption(args, "--requests", bench::kDefaultRequests, 1,
                              std::numeric_limits<std::uint32_t>::max());
  load.concurrency = countOption(args, "--concurrency", 1, 1, kMaxConcurrency);
  load.warmupPerThread = countOption(args, "--warmup", bench::kDefaultWarmupPerThread, 0, 1000000);
  const bool stream = args.has("--stream");
  const bool json = args.has("--json");
  GenerateTextParams base;
  base.prompt = args.value("--prompt").value_or(std::string(bench::kDefaultPrompt));

  // Discovery, load and init of every plugin: the whole AgentHost construction.
  const auto loadStart = std::chrono::steady_clock::now();
  auto host = makeHost(context);
  const std::chrono::duration<double, std::milli> pluginLoad =
      std::chrono::steady_clock::now() - loadStart;

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

Command benchCommand() {
  return Command{"bench",
                 {{"--model", true},
                  {"--provider", true},
                  {"--requests", true},
                  {"--concurrency", true},
                  {"--warmup", true},
                  {"--prompt", true},
                  {"--stream", false},
                  {"--json", false}},
                 &runBench};
}

}  // namespace agent::host::cli
