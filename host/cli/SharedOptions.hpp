// SharedOptions: the one definition of each option and output line more than one command uses:
// --model, --provider, checked integer and number options, and the line naming a failed call.
//
// Values are parsed with agent::text (the parsers settings use), so "5x" is rejected alike on the
// command line and in a setting. A bad value throws CLI::ValidationError with a one-line message
// naming the option, which CommandLine turns into a usage error.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/host/AgentHost.hpp"
#include "agent/host/AgentRuntime.hpp"

namespace agent::host::cli {

/// The integers an option accepts, both ends included.
struct IntegerRange {
  std::int64_t minimum;
  std::int64_t maximum;
};

/// --model TYPE: an elizaOS model type in any case ("large", "TEXT_LARGE"); `type` keeps its
/// value (the default) when the option is absent.
CLI::Option* addModelTypeOption(CLI::App& app, ModelType& type);

/// --provider NAME: one provider by name, with no silent fallback to another.
CLI::Option* addProviderOption(CLI::App& app, std::optional<std::string>& provider);

/// An integer option within `range`; calls `store` with the value.
CLI::Option* addIntegerOption(CLI::App& app, const std::string& name,
                              std::function<void(std::int64_t)> store, IntegerRange range,
                              const std::string& description);

template <class Target>
CLI::Option* addIntegerOption(CLI::App& app, const std::string& name, Target& target,
                              IntegerRange range, const std::string& description) {
  return addIntegerOption(
      app, name, [&target](std::int64_t value) { target = static_cast<Target>(value); }, range,
      description);
}

/// An option that takes JSON text (starting with '{' or '[') or the name of a file holding it;
/// the text, unparsed. An unreadable file is a CLI::ValidationError naming `option`.
std::string jsonTextOrFile(const std::string& option, const std::string& value);

/// A finite decimal number option.
CLI::Option* addNumberOption(CLI::App& app, const std::string& name, std::optional<double>& target,
                             const std::string& description);

/// One line naming who failed and why, e.g.
///   bitrouter failed (TEXT_SMALL): rate_limited (HTTP 429): Rate limited
std::string failureLine(const ModelError& error, const CallInfo& info);

/// The exit code of a failed call: kExitUsage when the user's input or settings are at fault (a
/// request refused before it was sent; no provider because a plugin's init refused its
/// settings), else kExitCallFailed.
int failedCallExitCode(const ModelError& error, const AgentHost& host);

}  // namespace agent::host::cli
