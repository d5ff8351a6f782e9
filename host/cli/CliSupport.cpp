#include "CliSupport.hpp"

#include <utility>
#include <variant>

namespace agent::host::cli {

std::filesystem::path pluginsDirectory(const GlobalOptions& options, const Settings& settings) {
  if (options.pluginsDir) return *options.pluginsDir;
  return defaultPluginsDirectory(settings);
}

std::unique_ptr<AgentHost> makeHost(const CommandContext& context,
                                    const std::map<std::string, std::string>& overrides) {
  HostOptions options;
  if (context.globals.characterFile) {
    auto loaded = loadCharacter(*context.globals.characterFile);
    if (auto* error = std::get_if<CharacterError>(&loaded)) {
      throw UsageError(error->message + " (fix it or pass another --character)");
    }
    options.character = std::get<Character>(std::move(loaded));
  }
  if (!overrides.empty()) {
    for (const auto& [key, value] : overrides) {
      options.character.secrets.erase(key);
      options.character.settings.erase(key);
    }
    options.environment = [overrides, environment = std::move(options.environment)](
                              std::string_view key) -> std::optional<std::string> {
      if (auto it = overrides.find(std::string(key)); it != overrides.end()) return it->second;
      return environment ? environment(key) : std::nullopt;
    };
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
