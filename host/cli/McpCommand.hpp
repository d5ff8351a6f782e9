// McpCommand: `agent-host mcp list [SERVER]` and `agent-host mcp call SERVER TOOL [ARGUMENTS]`:
// the MCP servers the agent is configured with (or one given with --stdio / --url), their state
// and tools, and one tool call. Also the `--no-mcp` option and the overrides behind it, which
// `generate` and `chat` share.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "CliSupport.hpp"

namespace agent::host::cli {

std::unique_ptr<Command> makeMcpCommand();

/// Adds `--no-mcp` to a command, bound to `noMcp`.
void addNoMcpOption(CLI::App& command, bool& noMcp);

/// The setting overrides that leave the MCP plugin disabled (for --no-mcp); empty when `noMcp`
/// is false.
std::map<std::string, std::string> mcpOverrides(bool noMcp);

}  // namespace agent::host::cli
