// The MCP plugin's entry: its manifest and AGENT_PLUGIN.
#include "McpToolProvider.hpp"
#include "agent/Plugin.hpp"

namespace {

constexpr std::string_view kAutoEnable[] = {"mcp", "MCP_SERVERS", "MCP_CONFIG_FILE"};
constexpr agent::SettingSpec kSettings[] = {
    {"mcp", nullptr,
     "The character's settings.mcp: {\"servers\": {NAME: {...}}, \"maxRetries\": 5}", false},
    {"MCP_SERVERS", nullptr, "The same JSON as settings.mcp, for runs without a character file",
     false},
    {"MCP_CONFIG_FILE", nullptr, "A file holding that JSON", false},
    {"MCP_MAX_RESULT_CHARS", "25000",
     "A tool result longer than this keeps its head and tail and says how much was cut", false},
};

constexpr agent::PluginManifest kManifest{
    .name = "mcp",
    .description = "Tools from MCP servers (stdio and Streamable HTTP)",
    .version = AGENT_MCP_VERSION,
    .autoEnableKeys = kAutoEnable,
    .settings = kSettings,
};

}  // namespace

AGENT_PLUGIN(agent::mcp::McpToolProvider, kManifest)
