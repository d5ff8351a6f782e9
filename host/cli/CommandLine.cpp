#include "CommandLine.hpp"

#include <algorithm>
#include <utility>

#include "agent/support/Text.hpp"

namespace agent::host::cli {
namespace {

constexpr const char* kDescription =
    "Loads LLM provider plugins and runs model calls through them, ranked as elizaOS ranks them.";

constexpr const char* kFooter = R"(
Settings (character secrets, then character settings, then the environment):
  LLM_MODE=SMALL|LARGE|DEFAULT    route every text tier to TEXT_SMALL or TEXT_LARGE
  <TYPE>_<PARAM>, DEFAULT_<PARAM> defaults for MAX_TOKENS, TEMPERATURE, TOP_P, SEED, ...
  MODEL_FAILOVER=true|false       on rate limits, outages and timeouts, try the next provider

Exit status: 0 success, 1 the model call failed, 2 bad usage or settings.)";

void defineGlobalOptions(CLI::App& app, GlobalOptions& globals) {
  app.add_option_function<std::string>(
         "--plugins-dir",
         [&globals](const std::string& dir) {
           if (dir.empty()) throw CLI::ValidationError("--plugins-dir needs a directory");
           globals.pluginsDir = dir;
         },
         "Where to look for *.so plugins (default: AGENT_PLUGINS_DIR, else ../plugins or "
         "../lib/agent-host/plugins beside the executable)")
      ->type_name("DIR");
  app.add_option_function<std::string>(
         "--character",
         [&globals](const std::string& file) {
           if (file.empty()) throw CLI::ValidationError("--character needs a JSON file");
           globals.characterFile = file;
         },
         "Character JSON {\"name\", \"settings\", \"secrets\"}: its settings and secrets take "
         "precedence over the environment")
      ->type_name("FILE");
  app.add_option_function<std::string>(
         "--log-level",
         [&globals](const std::string& level) {
           const auto parsed = parseLogLevel(level);
           if (!parsed) {
             throw CLI::ValidationError("unknown log level '" + text::oneLine(level) +
                                        "': use trace, debug, info, warn or error");
           }
           globals.logLevel = *parsed;
         },
         "trace, debug, info, warn (default) or error; logs go to stderr")
      ->type_name("LEVEL");
}

// CLI11 reports an option that is missing its value as "--model: 1 required TEXT missing" and a
// value given to a flag as "json was given a disallowed flag override".
std::string argumentMismatchMessage(const std::string& what) {
  if (const auto colon = what.find(':');
      colon != std::string::npos && what.find("required", colon) != std::string::npos) {
    return what.substr(0, colon) + " needs a value";
  }
  if (const auto space = what.find(" was given a disallowed flag override");
      space != std::string::npos) {
    return "--" + what.substr(0, space) + " takes no value";
  }
  return what;
}

}  // namespace

std::string withHelpPointer(std::string_view message, std::string_view helpCommand) {
  return text::oneLine(std::string(message) + " (see '" + std::string(helpCommand) + "')");
}

CommandLine::CommandLine(std::vector<std::unique_ptr<Command>> commands)
    : app_(kDescription, "agent-host"), commands_(std::move(commands)) {
  // Set before any option or subcommand exists, so all of them inherit it: an option given twice
  // keeps its last value (repeatable ones such as --stop ask for all).
  app_.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app_.fallthrough();             // global options after the command name too
  app_.require_subcommand(0, 1);  // none is reported by parse(), with the command names
  app_.footer(kFooter);
  defineGlobalOptions(app_, globals_);
  for (const auto& command : commands_) {
    subcommands_.push_back(&command->define(app_));
  }
}

Invocation CommandLine::parse(std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  try {
    app_.parse(args);
  } catch (const CLI::CallForHelp&) {
    return Invocation{nullptr, app_.help(), {}};  // the selected command's help, if any
  } catch (const CLI::ParseError& error) {
    throw UsageError(usageMessage(error));
  }
  for (std::size_t i = 0; i < subcommands_.size(); ++i) {
    if (subcommands_[i]->parsed()) return Invocation{commands_[i].get(), {}, helpCommand()};
  }
  throw UsageError(usageMessage(CLI::RequiredError("A subcommand is required")));
}

std::string CommandLine::helpCommand() const {
  for (const CLI::App* subcommand : subcommands_) {
    if (subcommand->parsed()) return "agent-host " + subcommand->get_name() + " --help";
  }
  return "agent-host --help";
}

std::string CommandLine::usageMessage(const CLI::ParseError& error) const {
  std::string names;
  const CLI::App* selected = nullptr;
  for (const CLI::App* subcommand : subcommands_) {
    names += (names.empty() ? "" : ", ") + subcommand->get_name();
    if (subcommand->parsed()) selected = subcommand;
  }

  std::string message;
  const std::vector<std::string> extras = app_.remaining();
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr ||
      dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    if (!extras.empty() && extras.front().size() > 1 && extras.front().front() == '-') {
      message = "unknown option " + extras.front();
    } else if (!extras.empty() && selected) {
      message = selected->get_name() + " takes no argument '" + extras.front() + "'";
    } else if (!extras.empty()) {
      message = "unknown command '" + extras.front() + "' (one of " + names + ")";
    } else if (!selected) {
      message = "missing COMMAND (one of " + names + ")";
    } else {
      message = error.what();
    }
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    message = argumentMismatchMessage(error.what());
  } else {
    message = error.what();
  }
  return withHelpPointer(message, helpCommand());
}

}  // namespace agent::host::cli
