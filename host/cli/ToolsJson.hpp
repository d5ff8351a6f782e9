// ToolsJson: the tools a command offers the model, read from JSON.
//
// Accepts an OpenAI-style tools array ([{"type":"function","function":{"name","description",
// "parameters","strict"}}]) or a plain array of {"name","description","parameters"} objects.
// Parameters stay JSON text, as they travel on to the provider.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "agent/ToolCall.hpp"

namespace agent::host::cli {

/// The tools, or one line naming what is wrong and where ("tool 2: ...").
std::variant<std::vector<ToolDefinition>, std::string> parseTools(std::string_view json);

}  // namespace agent::host::cli
