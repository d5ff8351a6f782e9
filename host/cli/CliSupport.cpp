#include "CliSupport.hpp"

#include <array>
#include <iostream>
#include <utility>
#include <variant>

namespace agent::host::cli {

std::span<const OptionSpec> globalOptionSpecs() {
  static const std::array<OptionSpec, 4> kSpecs{{
      {"--plugins-dir", true},
      {"--character", true},
      {"--log-level", true},
      {"--help", false},
  }};
  return kSpecs;
}

void applyGlobalOptions(const ParsedArgs& args, GlobalOptions& options) {
  if (auto dir = args.value("--plugins-dir")) {
    if (dir->empty()) throw UsageError("--plugins-dir needs a directory");
    options.pluginsDir = *dir;
  }
  if (auto file = args.value("--character")) {
    if (file->empty()) throw UsageError("--character needs a JSON file");
    options.characterFile = *file;
  }
  if (auto level = args.value("--log-level")) {
    const auto parsed = parseLogLevel(*level);
    if (!parsed) {
      throw UsageError("unknown log level '" + *level + "': use trace, debug, info, warn or error");
    }
    options.logLevel = *parsed;
  }
}

std::string_view usageText() {
  return R"(Usage: agent-host [OPTIONS] COMMAND [COMMAND OPTIONS]

Loads LLM provider plugins and runs model calls through them, ranked as elizaOS ranks them.

Options:
  --plugins-dir DIR     where to look for *.so plugins (default: AGENT_PLUGINS_DIR, else
                        ../plugins or ../lib/agent-host/plugins beside the executable)
  --character FILE      character JSON: {"name", "settings", "secrets"}; its settings and
                        secrets take precedence over the environment
  --log-level LEVEL     trace, debug, info, warn (default) or error; logs go to stderr
  -h, --help            show this help

Commands:
  providers [--json]
      The plugins found (loaded, disabled or skipped, and why) and, per model type, the
      providers that serve it, best first, with their priorities.

  generate [--model TYPE] [--provider NAME] [--system TEXT] [--temperature X]
           [--max-tokens N] [--top-p X] [--seed N] [--stop SEQ]...
           [--frequency-penalty X] [--presence-penalty X] [--schema FILE|JSON]
           [--stream] [--json] PROMPT
      Generates text. PROMPT "-" reads it from stdin. --model defaults to TEXT_SMALL
      (also: TEXT_NANO, TEXT_MEDIUM, TEXT_LARGE, TEXT_MEGA, RESPONSE_HANDLER,
      ACTION_PLANNER, ...). --provider picks one provider by name (no silent fallback to
      another). --stream prints text as it arrives. --json prints one JSON object:
      text, provider, modelType, model, usage, finishReason (with --stream, only the object).

  bench [--model TYPE] [--provider NAME] [--requests N] [--concurrency C] [--warmup N]
        [--prompt TEXT] [--stream] [--json]
      Makes N calls (default 1000) from C threads (default 1) through the selected provider,
      after N warm-up calls per thread (default 5), and prints p50/p90/p99 latency in
      microseconds, calls per second, CPU time per call, peak RSS and the time taken to
      discover, load and init the plugins. --json prints one object. Exit 1 if every call failed.

Settings (character secrets, then character settings, then the environment):
  LLM_MODE=SMALL|LARGE|DEFAULT   route every text tier to TEXT_SMALL or TEXT_LARGE
  <TYPE>_<PARAM>, DEFAULT_<PARAM> defaults for MAX_TOKENS, TEMPERATURE, TOP_P, SEED, ...
  MODEL_FAILOVER=true            on rate limits, outages and timeouts, try the next provider

Exit status: 0 success, 1 the model call failed, 2 bad usage or settings.
)";
}

std::filesystem::path pluginsDirectory(const GlobalOptions& options, const Settings& settings) {
  if (options.pluginsDir) return *options.pluginsDir;
  return defaultPluginsDirectory(settings);
}

std::unique_ptr<AgentHost> makeHost(const CommandContext& context) {
  HostOptions options;
  if (context.globals.characterFile) {
    auto loaded = loadCharacter(*context.globals.characterFile);
    if (auto* error = std::get_if<CharacterError>(&loaded)) {
      throw UsageError(error->message + " (fix it or pass another --character)");
    }
    options.character = std::get<Character>(std::move(loaded));
  }
  const Settings settings(options.character, options.environment);
  options.pluginsDirectory = pluginsDirectory(context.globals, settings);
  options.logLevel = context.globals.logLevel;
  options.logStream = &context.err;
  return std::make_unique<AgentHost>(std::move(options));
}

}  // namespace agent::host::cli
