#include "CliSupport.hpp"

#include <utility>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "agent/support/Utf8.hpp"

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
    if (!loaded) {
      throw UsageError(loaded.error().message + " (fix it or pass another --character)");
    }
    options.character = std::move(loaded).value();
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
  if (auto checked = AgentRuntime::checkSettings(settings); !checked) {
    throw UsageError(checked.error().message);
  }
  options.pluginsDirectory = pluginsDirectory(context.globals, settings);
  options.logLevel = context.globals.logLevel;
  options.logStream = &context.err;
  return std::make_unique<AgentHost>(std::move(options));
}

void checkProviders(const CommandContext& context, AgentHost& host,
                    const std::optional<std::string>& provider) {
  const auto directory = pluginsDirectory(context.globals, host.settings());
  for (const PluginReport& report : host.plugins()) {
    if (report.path == directory && report.status == PluginReport::Status::Skipped) {
      throw UsageError("no provider: the plugins directory " + directory.string() +
                       " was refused: " + report.reason);
    }
  }
  if (!provider) return;
  if (std::string problem = providerProblem(host, *provider); !problem.empty()) {
    throw UsageError("--provider: " + problem);
  }
}

std::string providerProblem(AgentHost& host, std::string_view name) {
  if (host.registry().hasProvider(name)) return "";
  std::string loaded;
  for (const PluginReport& report : host.plugins()) {
    if (report.name != name) {
      if (report.status == PluginReport::Status::Loaded) {
        loaded += (loaded.empty() ? "" : ", ") + report.name;
      }
      continue;
    }
    const std::string how =
        report.status == PluginReport::Status::Disabled ? " is disabled: " : " was not loaded: ";
    return "provider '" + std::string(name) + "'" + how + report.reason;
  }
  return "no provider named '" + std::string(name) +
         "' (loaded: " + (loaded.empty() ? "none" : loaded) +
         "; `agent-host providers` lists them all)";
}

bool wantsJson(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--json") return true;
  }
  return false;
}

std::string usageErrorJson(std::string_view message) {
  const std::string text = text::toValidUtf8(message);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.StartObject();
  writer.Key("kind");
  writer.String("usage");
  writer.Key("message");
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  writer.EndObject();
  writer.EndObject();
  return buffer.GetString();
}

}  // namespace agent::host::cli
