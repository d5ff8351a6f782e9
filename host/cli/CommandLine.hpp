// CommandLine: agent-host's command line on CLI11: the global options, one subcommand per
// Command, a generated --help for the program and for each command, and CLI11's errors turned
// into one-line usage errors.
//
//   CommandLine line(commands());
//   const Invocation invocation = line.parse(args);  // throws UsageError
//   if (!invocation.command) print invocation.help; else invocation.command->run(...);
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "CliSupport.hpp"

namespace agent::host::cli {

/// What the user asked for: a command to run, or (command null) the help text to print.
struct Invocation {
  Command* command = nullptr;
  std::string help;
  std::string
      helpCommand;  // where a usage error found later should point, e.g. "agent-host bench --help"
};

/// A usage error's one line: the message and the --help to read.
std::string withHelpPointer(std::string_view message, std::string_view helpCommand);

class CommandLine {
 public:
  explicit CommandLine(std::vector<std::unique_ptr<Command>> commands);

  /// Parses the arguments (without the program name). Throws UsageError, whose message names the
  /// problem and which --help to read.
  Invocation parse(std::vector<std::string> args);

  const GlobalOptions& globals() const noexcept { return globals_; }

 private:
  std::string usageMessage(const CLI::ParseError& error) const;
  std::string helpCommand() const;  // the --help of the selected command, else of the program

  CLI::App app_;
  GlobalOptions globals_;
  std::vector<std::unique_ptr<Command>> commands_;
  std::vector<CLI::App*> subcommands_;  // one per command, same order
};

}  // namespace agent::host::cli
