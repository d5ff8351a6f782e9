// ToolNames: the name a model sees for an MCP tool: SERVER__TOOL, fitted to
// ^[A-Za-z0-9_-]{1,64}$ (the strictest model APIs), so names from every server can sit together.
#pragma once

#include <string>
#include <string_view>

namespace agent::mcp {

/// SERVER__TOOL with every other character made '_'; longer than 64, it is cut to 55 and ends
/// in '_' and 8 hex digits of a hash of the full name, so distinct long names stay distinct.
std::string modelToolName(std::string_view server, std::string_view tool);

/// `name` cut to 55 characters, then "_" and 8 hex digits of a hash of `salt`.
std::string withHashSuffix(std::string_view name, std::string_view salt);

}  // namespace agent::mcp
