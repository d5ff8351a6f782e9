// ServerConfig: the MCP servers the agent is configured with, parsed and checked.
//
// The shape is elizaOS's: {"servers": {"NAME": {"type": "stdio", "command", "args", "env", "cwd",
// "timeoutInMillis"} | {"type": "streamable-http" | "http", "url", "headers", "timeout"}},
// "maxRetries": 5}. `${NAME}` in env and header values is replaced by that setting, so a
// configuration can name a secret without holding it; values are never logged.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agent::mcp {

using SettingLookup = std::function<std::optional<std::string>(std::string_view)>;
using NamedValues = std::vector<std::pair<std::string, std::string>>;

struct ServerConfig {
  enum class Type { Stdio, Http };
  std::string name;
  Type type = Type::Stdio;
  std::vector<std::string> argv;  // stdio: command, then args
  NamedValues environment;        // stdio: added to the base environment
  std::string workingDirectory;   // stdio
  std::string url;                // http
  NamedValues headers;            // http
  std::chrono::milliseconds timeout{60000};
};

struct McpConfig {
  std::vector<ServerConfig> servers;
  int maxRetries = 5;
  /// One line per server (or source) left out, naming it and the field.
  std::vector<std::string> problems;
};

/// Parses one configuration text; `origin` names it in problems ("MCP_SERVERS").
/// Servers already in `into` keep their first definition.
void parseMcpConfig(std::string_view json, std::string_view origin, const SettingLookup& setting,
                    McpConfig& into);

/// Every source: the character's `mcp` setting, then MCP_SERVERS, then the file MCP_CONFIG_FILE.
McpConfig loadMcpConfig(const SettingLookup& setting);

/// `value` with each `${NAME}` replaced by the setting NAME; nullopt, with `missing` set to the
/// name, when a named setting is not set.
std::optional<std::string> substituteSettings(std::string_view value, const SettingLookup& setting,
                                              std::string& missing);

}  // namespace agent::mcp
