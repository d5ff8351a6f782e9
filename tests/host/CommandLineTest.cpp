// CommandLine (agent-host's CLI11 front end) and the shared option definitions, without running
// any command: what parses, what each mistake says, and the generated help.
#include "CommandLine.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "BenchCommand.hpp"
#include "GenerateCommand.hpp"
#include "ProvidersCommand.hpp"
#include "SharedOptions.hpp"

namespace agent::host::cli {
namespace {

// A command with one option of each kind, recording what it was given.
class RecordingCommand final : public Command {
 public:
  CLI::App& define(CLI::App& app) override {
    CLI::App& command = *app.add_subcommand("test", "A test command");
    addModelTypeOption(command, type);
    command.add_option("--name", name, "A value");
    command.add_option("--stop", stops, "Repeatable")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    addIntegerOption(command, "--count", count, {1, 10}, "A bounded count");
    addNumberOption(command, "--ratio", ratio, "A number");
    command.add_flag("--json", json, "A flag")->disable_flag_override();
    command.add_option("WORDS", words, "Positionals");
    return command;
  }
  int run(CommandContext&) override { return kExitOk; }

  ModelType type = ModelType::TextSmall;
  std::string name;
  std::vector<std::string> stops;
  std::size_t count = 0;
  std::optional<double> ratio;
  bool json = false;
  std::vector<std::string> words;
};

// The command line owns the command, so it is kept with what it parsed.
struct Parsed {
  std::unique_ptr<CommandLine> line;
  RecordingCommand* command = nullptr;
  Invocation invocation;
  const GlobalOptions& globals() const { return line->globals(); }
};

Parsed parse(std::vector<std::string> args) {
  Parsed parsed;
  auto command = std::make_unique<RecordingCommand>();
  parsed.command = command.get();
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(std::move(command));
  parsed.line = std::make_unique<CommandLine>(std::move(commands));
  parsed.invocation = parsed.line->parse(std::move(args));
  return parsed;
}

std::string usageError(std::vector<std::string> args) {
  try {
    parse(std::move(args));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CommandLineTest, ValuesFlagsAndPositionals) {
  const auto parsed = parse({"test", "--name", "x", "--json", "hello"});
  ASSERT_EQ(parsed.invocation.command, parsed.command);
  EXPECT_EQ(parsed.command->name, "x");
  EXPECT_TRUE(parsed.command->json);
  EXPECT_EQ(parsed.command->words, (std::vector<std::string>{"hello"}));
  EXPECT_EQ(parsed.invocation.helpCommand, "agent-host test --help");
}

TEST(CommandLineTest, EqualsFormAndRepeats) {
  const auto parsed = parse({"test", "--stop=END", "--stop", "STOP", "--name=a", "--name=b", "w"});
  EXPECT_EQ(parsed.command->stops, (std::vector<std::string>{"END", "STOP"}));
  EXPECT_EQ(parsed.command->name, "b");  // the last one given wins
  EXPECT_EQ(parsed.command->words, (std::vector<std::string>{"w"}));
}

TEST(CommandLineTest, DashIsAPositionalAndDoubleDashEndsOptions) {
  EXPECT_EQ(parse({"test", "-"}).command->words, (std::vector<std::string>{"-"}));
  const auto parsed = parse({"test", "--", "--json"});
  EXPECT_EQ(parsed.command->words, (std::vector<std::string>{"--json"}));
  EXPECT_FALSE(parsed.command->json);
}

TEST(CommandLineTest, HelpForTheProgramAndForEachCommand) {
  for (const char* flag : {"-h", "--help"}) {
    const auto parsed = parse({flag});
    EXPECT_EQ(parsed.invocation.command, nullptr);
    EXPECT_NE(parsed.invocation.help.find("Usage: agent-host"), std::string::npos);
    EXPECT_NE(parsed.invocation.help.find("test"), std::string::npos);
    EXPECT_NE(parsed.invocation.help.find("Exit status"), std::string::npos);
  }
  const auto parsed = parse({"test", "-h"});
  EXPECT_EQ(parsed.invocation.command, nullptr);
  EXPECT_NE(parsed.invocation.help.find("--count"), std::string::npos) << parsed.invocation.help;
  EXPECT_NE(parsed.invocation.help.find("between 1 and 10"), std::string::npos);
}

TEST(CommandLineTest, GlobalOptionsBeforeAndAfterTheCommand) {
  const auto parsed = parse({"--log-level", "debug", "test", "w", "--plugins-dir", "/p"});
  EXPECT_EQ(parsed.globals().logLevel, LogLevel::Debug);
  EXPECT_EQ(parsed.globals().pluginsDir, std::filesystem::path("/p"));
  EXPECT_EQ(parsed.command->words, (std::vector<std::string>{"w"}));
}

TEST(CommandLineTest, EachMistakeIsOneLineNamingItAndPointingToHelp) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"test", "--frobnicate"}, "unknown option --frobnicate (see 'agent-host test --help')"},
      {{"--frobnicate", "test"}, "unknown option --frobnicate"},
      {{"test", "--name"}, "--name needs a value (see 'agent-host test --help')"},
      {{"test", "--json=yes"}, "--json takes no value"},
      {{"frobnicate"}, "unknown command 'frobnicate' (one of test)"},
      {{}, "missing COMMAND (one of test)"},
      {{"--log-level", "loud", "test"}, "unknown log level 'loud'"},
      {{"test", "--count", "x"}, "--count needs an integer, got 'x'"},
      {{"test", "--count", "1.5"}, "--count needs an integer, got '1.5'"},
      {{"test", "--count", "11"}, "--count must be between 1 and 10, got 11"},
      {{"test", "--ratio", "warm"}, "--ratio needs a number, got 'warm'"},
      {{"test", "--ratio", ""}, "--ratio needs a number, got ''"},
      {{"test", "--model", "TEXT_HUGE"}, "unknown model type 'TEXT_HUGE': use one of TEXT_"},
  };
  for (const auto& [args, says] : cases) {
    const std::string message = usageError(args);
    EXPECT_NE(message.find(says), std::string::npos) << says << " <- " << message;
    EXPECT_NE(message.find("--help"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(CommandLineTest, TypedValues) {
  const auto parsed = parse({"test", "--count", " 7 ", "--ratio", "0.25", "--model", "large"});
  EXPECT_EQ(parsed.command->count, 7u);
  EXPECT_EQ(parsed.command->ratio, 0.25);
  EXPECT_EQ(parsed.command->type, ModelType::TextLarge);
}

TEST(CommandLineTest, EveryRealCommandHasGeneratedHelpListingItsOptions) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected{
      {"providers", {"--json"}},
      {"generate",
       {"--model", "--provider", "--system", "--temperature", "--max-tokens", "--top-p", "--seed",
        "--stop", "--frequency-penalty", "--presence-penalty", "--schema", "--stream", "--json",
        "PROMPT"}},
      {"bench",
       {"--model", "--provider", "--requests", "--concurrency", "--warmup", "--prompt", "--stream",
        "--json"}},
  };
  for (const auto& [name, options] : expected) {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(makeProvidersCommand());
    commands.push_back(makeGenerateCommand());
    commands.push_back(makeBenchCommand());
    CommandLine line(std::move(commands));
    const Invocation invocation = line.parse({name, "--help"});
    ASSERT_EQ(invocation.command, nullptr);
    for (const auto& option : options) {
      EXPECT_NE(invocation.help.find(option), std::string::npos) << name << ": " << option;
    }
  }
}

TEST(CommandLineTest, FailureLineNamesTheProviderTypeKindAndStatus) {
  ModelError error;
  error.kind = ErrorKind::RateLimited;
  error.httpStatus = 429;
  error.message = "Rate\nlimited";
  const CallInfo info{"bitrouter", ModelType::TextSmall, 1};
  EXPECT_EQ(failureLine(error, info),
            "bitrouter failed (TEXT_SMALL): rate_limited (HTTP 429): Rate limited");
  error.kind = ErrorKind::NoProvider;
  error.message = "none";
  EXPECT_EQ(failureLine(error, info), "no_provider: none");
}

}  // namespace
}  // namespace agent::host::cli
