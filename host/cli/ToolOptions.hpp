// ToolOptions: the tool options `generate` and `chat` share, and the tools they make.
//
//   --tools FILE|JSON             the tools offered to the model (tools JSON, see ToolsJson)
//   --tool-choice auto|none|required|NAME
//   --tool-command NAME=COMMAND   run tool NAME as a shell command (repeatable); see CommandTool
//   --tool-env NAME[=VALUE]       pass NAME to the tool commands: VALUE, or the agent's own
//                                 value of NAME (repeatable); nothing else beyond a small base
//   --max-steps N                 model calls at most when tools run (default 8)
//   --tool-timeout-ms N           time for one tool run (default 30000)
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "agent/ToolCall.hpp"
#include "agent/host/Tool.hpp"

namespace CLI {
class App;
}

namespace agent::host {
class AgentHost;
}

namespace agent::host::cli {

struct ToolOptions {
  std::vector<ToolDefinition> definitions;  // from --tools, checked while parsing
  std::vector<std::string> commands;        // NAME=COMMAND
  std::vector<std::string> environment;     // --tool-env NAME or NAME=VALUE, checked while parsing
  ToolChoice choice;
  bool choiceGiven = false;
  int maxSteps = 8;
  std::int64_t toolTimeoutMs = 30000;

  bool runsTools() const noexcept { return !commands.empty(); }
};

/// Adds the options to a command, bound to `options`.
void addToolOptions(CLI::App& command, ToolOptions& options);

/// The tools to run: every --tools definition, with a command tool for each --tool-command, started
/// by the host (which ends them when it goes) with the base environment plus the --tool-env
/// variables. A tool without a command is left to the caller, or, with `unrunToolsAnswer` set,
/// answers the model that it cannot run. Throws UsageError for a --tool-command that names no
/// tool or has no '='. A --tool-env NAME that is not set in the agent's environment is passed as
/// nothing, with a warning on `err`.
std::vector<Tool> makeTools(const ToolOptions& options, const AgentHost& host,
                            bool unrunToolsAnswer, std::ostream& err);

}  // namespace agent::host::cli
