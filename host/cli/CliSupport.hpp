// CliSupport: what every agent-host command shares: global options, the usage text, exit codes,
// and building the AgentHost from them.
//
// A command is a function plus its option list (see Command); main() parses the global options,
// finds the command, parses its options and runs it. Adding one (e.g. `bench`) means one new file
// and one line in main.cpp's command table.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "CommandLine.hpp"
#include "agent/host/AgentHost.hpp"

namespace agent::host::cli {

enum ExitCode : int { kExitOk = 0, kExitCallFailed = 1, kExitUsage = 2 };

struct GlobalOptions {
  std::optional<std::filesystem::path> pluginsDir;
  std::optional<std::filesystem::path> characterFile;
  LogLevel logLevel = LogLevel::Warn;  // quiet by default: stdout carries the answer
};

/// The options every command also accepts (before or after the command name).
std::span<const OptionSpec> globalOptionSpecs();

/// Reads the global options out of parsed arguments. Throws UsageError.
void applyGlobalOptions(const ParsedArgs& args, GlobalOptions& options);

struct CommandContext {
  GlobalOptions globals;
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

struct Command {
  std::string_view name;
  std::vector<OptionSpec> options;  // without the global ones
  int (*run)(const ParsedArgs& args, CommandContext& context);
};

/// The full usage text printed by --help.
std::string_view usageText();

/// The plugins directory the host will scan: --plugins-dir, else AGENT_PLUGINS_DIR, else the
/// default beside the executable.
std::filesystem::path pluginsDirectory(const GlobalOptions& options, const Settings& settings);

/// Loads the character (a bad file is a UsageError) and builds the host, which loads the plugins.
std::unique_ptr<AgentHost> makeHost(const CommandContext& context);

}  // namespace agent::host::cli
