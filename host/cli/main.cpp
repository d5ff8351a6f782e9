// agent-host: the command-line front end. Parses the command line, runs the chosen command.
// Exit codes: 0 success, 1 the model call failed, 2 bad usage or settings.
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "BenchCommand.hpp"
#include "ChatCommand.hpp"
#include "CliSupport.hpp"
#include "CommandLine.hpp"
#include "GenerateCommand.hpp"
#include "McpCommand.hpp"
#include "ProvidersCommand.hpp"
#include "SignalExit.hpp"

namespace cli = agent::host::cli;

namespace {

std::vector<std::unique_ptr<cli::Command>> commands() {
  // One line per command; each lives in its own <Name>Command.cpp.
  std::vector<std::unique_ptr<cli::Command>> all;
  all.push_back(cli::makeProvidersCommand());
  all.push_back(cli::makeGenerateCommand());
  all.push_back(cli::makeChatCommand());
  all.push_back(cli::makeBenchCommand());
  all.push_back(cli::makeMcpCommand());
  return all;
}

int run(const std::vector<std::string>& args) {
  cli::CommandLine commandLine(commands());
  const cli::Invocation invocation = commandLine.parse(args);
  if (!invocation.command) {
    std::cout << invocation.help << std::flush;
    return cli::kExitOk;
  }
  cli::CommandContext context{commandLine.globals(), std::cin, std::cout, std::cerr};
  try {
    return invocation.command->run(context);
  } catch (const cli::UsageError& e) {
    throw cli::UsageError(cli::withHelpPointer(e.what(), invocation.helpCommand));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  cli::endChildProcessesOnSignals();
  try {
    return run(args);
  } catch (const cli::UsageError& e) {
    // With --json a script reads stdout: the error is there too, as JSON.
    if (cli::wantsJson(args)) std::cout << cli::usageErrorJson(e.what()) << '\n' << std::flush;
    std::cerr << "agent-host: " << e.what() << '\n';
    return cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "agent-host: internal error: " << e.what() << '\n';
    return cli::kExitCallFailed;
  }
}
