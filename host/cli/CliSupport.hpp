// CliSupport: what every agent-host command shares: exit codes, the usage error, the global
// options, the command interface, and building the AgentHost from the global options.
//
// A command is a Command object: it declares its subcommand and options on the CLI11 app (bound to
// its own members) and runs after a successful parse. Adding one means one new <Name>Command file
// and one line in main.cpp.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "agent/host/AgentHost.hpp"

namespace CLI {
class App;
}

namespace agent::host::cli {

enum ExitCode : int { kExitOk = 0, kExitCallFailed = 1, kExitUsage = 2 };

/// Bad usage or settings: what is wrong, on one line. main() prints it with a pointer to --help
/// and exits with kExitUsage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The options every command accepts, before or after the command name.
struct GlobalOptions {
  std::optional<std::filesystem::path> pluginsDir;
  std::optional<std::filesystem::path> characterFile;
  LogLevel logLevel = LogLevel::Warn;  // quiet by default: stdout carries the answer
};

/// What a running command reads and writes.
struct CommandContext {
  GlobalOptions globals;
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

/// One agent-host command.
class Command {
 public:
  virtual ~Command() = default;

  /// Adds this command's subcommand to `app`, its options bound to this object's members, and
  /// returns it. Values are checked while parsing; a bad one is a usage error naming the option.
  virtual CLI::App& define(CLI::App& app) = 0;

  /// Runs the command once its options are parsed. Throws UsageError for what parsing cannot see.
  virtual int run(CommandContext& context) = 0;
};

/// The plugins directory the host will scan: --plugins-dir, else AGENT_PLUGINS_DIR, else the
/// default beside the executable.
std::filesystem::path pluginsDirectory(const GlobalOptions& options, const Settings& settings);

/// Loads the character and checks the host's own settings (a bad file or value is a UsageError),
/// then builds the host, which loads the plugins.
/// `overrides` replace settings for this run, above the character and the environment (e.g.
/// MCP_SERVERS for a server given on the command line; "" turns a setting off).
std::unique_ptr<AgentHost> makeHost(const CommandContext& context,
                                    const std::map<std::string, std::string>& overrides = {});

/// For a command that calls a model: a UsageError when no provider can come from the plugins
/// (the plugins directory was refused whole: its reason, which "set BITROUTER_BASE_URL" would
/// hide) or when `provider` names none that is loaded.
void checkProviders(const CommandContext& context, AgentHost& host,
                    const std::optional<std::string>& provider);

/// Why the provider `name` cannot serve calls (disabled, skipped, unknown), or "" when it can.
std::string providerProblem(AgentHost& host, std::string_view name);

/// True when the command line asks for JSON output (`--json` before any `--`): a usage error is
/// then printed as {"error": {"kind": "usage", "message": ...}} on stdout too.
bool wantsJson(const std::vector<std::string>& args);

/// The usage error as that JSON object, on one line.
std::string usageErrorJson(std::string_view message);

}  // namespace agent::host::cli
