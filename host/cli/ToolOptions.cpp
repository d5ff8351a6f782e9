#include "ToolOptions.hpp"

#include <limits>
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

std::vector<std::string> secretSettingNames(const AgentHost& host) {
  std::vector<std::string> names;
  for (const PluginReport& plugin : host.plugins()) {
    for (const PluginSetting& setting : plugin.settings) {
      if (setting.secret) names.push_back(setting.key);
    }
  }
  return names;
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
  addIntegerOption(command, "--max-steps", options.maxSteps, {1, 100},
                   "Model calls at most while tools run (default 8)");
  addIntegerOption(command, "--tool-timeout-ms", options.toolTimeoutMs,
                   {1, std::numeric_limits<std::int32_t>::max()},
                   "Time for one tool run, in milliseconds (default 30000)");
}

std::vector<Tool> makeTools(const ToolOptions& options, const AgentHost& host,
                            bool unrunToolsAnswer) {
  std::vector<Tool> tools;
  for (const ToolDefinition& definition : options.definitions)
    tools.push_back(Tool{definition, nullptr});
  const auto environment = environmentWithoutSecrets(secretSettingNames(host));
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
    tool->run = commandTool(entry.substr(equals + 1), environment);
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
