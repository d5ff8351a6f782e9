#include "CliSupport.hpp"

#include <utility>
#include <variant>

namespace agent::host::cli {

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
  // A setting the runtime cannot use (MODEL_FAILOVER=maybe) stops here, before any plugin loads.
  if (auto error = AgentRuntime::checkSettings(settings)) throw UsageError(error->message);
  options.pluginsDirectory = pluginsDirectory(context.globals, settings);
  options.logLevel = context.globals.logLevel;
  options.logStream = &context.err;
  return std::make_unique<AgentHost>(std::move(options));
}

}  // namespace agent::host::cli
