#include "CliSupport.hpp"

#include <utility>

namespace agent::host::cli {

std::filesystem::path pluginsDirectory(const GlobalOptions& options, const Settings& settings) {
  if (options.pluginsDir) return *options.pluginsDir;
  return defaultPluginsDirectory(settings);
}

std::unique_ptr<AgentHost> makeHost(const CommandContext& context) {
  HostOptions options;
  if (context.globals.characterFile) {
    auto loaded = loadCharacter(*context.globals.characterFile);
    if (!loaded) {
      throw UsageError(loaded.error().message + " (fix it or pass another --character)");
    }
    options.character = std::move(loaded).value();
  }
  const Settings settings(options.character, options.environment);
  // A setting the runtime cannot use (MODEL_FAILOVER=maybe) stops here, before any plugin loads.
  if (auto checked = AgentRuntime::checkSettings(settings); !checked) {
    throw UsageError(checked.error().message);
  }
  options.pluginsDirectory = pluginsDirectory(context.globals, settings);
  options.logLevel = context.globals.logLevel;
  options.logStream = &context.err;
  return std::make_unique<AgentHost>(std::move(options));
}

}  // namespace agent::host::cli
