// agent-host: the command-line front end. Parses the global options, picks the command, runs it.
// Exit codes: 0 success, 1 the model call failed, 2 bad usage or settings.
#include <algorithm>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "BenchCommand.hpp"
#include "CliSupport.hpp"
#include "CommandLine.hpp"
#include "GenerateCommand.hpp"
#include "ProvidersCommand.hpp"

namespace cli = agent::host::cli;

namespace {

std::vector<cli::Command> commands() {
  // One line per command; each lives in its own <Name>Command.cpp.
  return {cli::providersCommand(), cli::generateCommand(), cli::benchCommand()};
}

int usageError(const std::string& message) {
  std::cerr << "agent-host: " << message << "\nRun 'agent-host --help' for usage.\n";
  return cli::kExitUsage;
}

int run(const std::vector<std::string>& args) {
  cli::CommandContext context{{}, std::cin, std::cout, std::cerr};

  std::size_t consumed = 0;
  const auto globals = cli::parseArguments(args, cli::globalOptionSpecs(), true, &consumed);
  if (globals.has("--help")) {
    std::cout << cli::usageText();
    return cli::kExitOk;
  }
  cli::applyGlobalOptions(globals, context.globals);

  const auto all = commands();
  std::string names;
  for (const auto& command : all)
    names += (names.empty() ? "" : ", ") + std::string(command.name);
  if (consumed == args.size()) return usageError("missing COMMAND (one of " + names + ")");
  const std::string& name = args[consumed];
  const auto command = std::find_if(all.begin(), all.end(),
                                    [&name](const cli::Command& c) { return c.name == name; });
  if (command == all.end()) {
    return usageError("unknown command '" + name + "' (one of " + names + ")");
  }

  // Global options are accepted after the command name too.
  std::vector<cli::OptionSpec> specs = command->options;
  const auto globalSpecs = cli::globalOptionSpecs();
  specs.insert(specs.end(), globalSpecs.begin(), globalSpecs.end());
  const std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(consumed) + 1,
                                      args.end());
  const auto parsed = cli::parseArguments(rest, specs);
  if (parsed.has("--help")) {
    std::cout << cli::usageText();
    return cli::kExitOk;
  }
  cli::applyGlobalOptions(parsed, context.globals);
  return command->run(parsed, context);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  try {
    return run(args);
  } catch (const cli::UsageError& e) {
    return usageError(e.what());
  } catch (const std::exception& e) {
    std::cerr << "agent-host: internal error: " << e.what() << '\n';
    return cli::kExitCallFailed;
  }
}
