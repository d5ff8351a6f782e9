#include "ToolOptions.hpp"

#include <cstdlib>
#include <limits>
#include <string_view>
#include <utility>
#include <variant>

#include <CLI/CLI.hpp>

#include "CliSupport.hpp"
#include "SharedOptions.hpp"
#include "ToolsJson.hpp"
#include "agent/host/AgentHost.hpp"
#include "agent/host/CommandTool.hpp"
#include "agent/support/Text.hpp"

namespace agent::host::cli {
namespace {

ToolChoice parseChoice(const std::string& value) {
  ToolChoice choice;
  if (value == "auto") {
    choice.mode = ToolChoice::Mode::Auto;
  } else if (value == "none") {
    choice.mode = ToolChoice::Mode::None;
  } else if (value == "required") {
    choice.mode = ToolChoice::Mode::Required;
  } else {
    choice.mode = ToolChoice::Mode::Named;
    choice.name = value;
  }
  return choice;
}

// A variable name as a shell would accept it: letters, digits and '_', not starting with a digit.
bool isVariableName(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (const char c : name) {
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!letter && !(c >= '0' && c <= '9') && c != '_') return false;
  }
  return true;
}

void checkToolEnv(const std::string& entry) {
  const std::string name = entry.substr(0, entry.find('='));
  if (!isVariableName(name)) {
    throw CLI::ValidationError("--tool-env '" + entry +
                               "': expected NAME or NAME=VALUE, NAME made of letters, digits "
                               "and _");
  }
}

// The --tool-env variables as (name, value): NAME=VALUE as given, NAME with the agent's value.
std::vector<std::pair<std::string, std::string>> toolEnvironment(const ToolOptions& options,
                                                                 std::ostream& err) {
  std::vector<std::pair<std::string, std::string>> environment;
  for (const std::string& entry : options.environment) {
    if (const auto equals = entry.find('='); equals != std::string::npos) {
      environment.emplace_back(entry.substr(0, equals), entry.substr(equals + 1));
    } else if (const char* value = std::getenv(entry.c_str())) {
      environment.emplace_back(entry, value);
    } else {
      err << "agent-host: warning: --tool-env " << entry
          << ": not set in the agent's environment; the tools do not get it\n";
    }
  }
  return environment;
}

}  // namespace

void addToolOptions(CLI::App& command, ToolOptions& options) {
  command
      .add_option_function<std::string>(
          "--tools",
          [&options](const std::string& value) {
            auto parsed = parseTools(jsonTextOrFile("--tools", value));
            if (!parsed) throw CLI::ValidationError("--tools: " + parsed.error());
            options.definitions = std::move(parsed).value();
          },
          "Tools the model may call: a JSON array (OpenAI style or {name, description, "
          "parameters}), or a file holding it")
      ->type_name("FILE|JSON");
  command
      .add_option_function<std::string>(
          "--tool-choice",
          [&options](const std::string& value) {
            options.choice = parseChoice(value);
            options.choiceGiven = true;
          },
          "auto, none, required, or the name of the one tool the model must call")
      ->type_name("CHOICE");
  command
      .add_option("--tool-command", options.commands,
                  "Run tool NAME as a shell command: arguments JSON on stdin, the result on "
                  "stdout, a non-zero exit is a tool error (repeatable)")
      ->type_name("NAME=COMMAND")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command
      .add_option_function<std::vector<std::string>>(
          "--tool-env",
          [&options](const std::vector<std::string>& entries) {
            for (const std::string& entry : entries)
              checkToolEnv(entry);
            options.environment.insert(options.environment.end(), entries.begin(), entries.end());
          },
          "Pass an environment variable to the tool commands, which otherwise get only PATH, "
          "HOME, USER, LOGNAME, SHELL, LANG, LC_*, TZ, TERM and TMPDIR: NAME passes the agent's "
          "value, NAME=VALUE this value (repeatable)")
      ->type_name("NAME[=VALUE]")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  addIntegerOption(command, "--max-steps", options.maxSteps, {1, 100},
                   "Model calls at most while tools run (default 8)");
  addIntegerOption(command, "--tool-timeout-ms", options.toolTimeoutMs,
                   {1, std::numeric_limits<std::int32_t>::max()},
                   "Time for one tool run, in milliseconds (default 30000)");
}

std::vector<Tool> makeTools(const ToolOptions& options, const AgentHost& host,
                            bool unrunToolsAnswer, std::ostream& err) {
  std::vector<Tool> tools;
  for (const ToolDefinition& definition : options.definitions)
    tools.push_back(Tool{definition, nullptr});
  const auto environment = options.commands.empty()
                               ? std::vector<std::pair<std::string, std::string>>{}
                               : toolEnvironment(options, err);
  for (const std::string& entry : options.commands) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw UsageError("--tool-command '" + entry + "': expected NAME=COMMAND");
    }
    const std::string name = entry.substr(0, equals);
    Tool* tool = nullptr;
    for (Tool& candidate : tools) {
      if (candidate.definition.name == name) tool = &candidate;
    }
    if (tool == nullptr) {
      throw UsageError("--tool-command names '" + name +
                       "', which is not among the --tools; define it there first");
    }
    tool->run = commandTool(entry.substr(equals + 1), {environment, host.childStarter()});
  }
  if (unrunToolsAnswer) {
    for (Tool& tool : tools) {
      if (tool.run) continue;
      tool.run = [name = tool.definition.name](std::string_view, const ToolContext&) {
        return ToolOutcome::failure("the tool " + name +
                                    " is not available here (no --tool-command was given)");
      };
    }
  }
  return tools;
}

}  // namespace agent::host::cli
