// ToolsJson: the tools a command offers the model, read from JSON.
//
// Accepts an OpenAI-style tools array ([{"type":"function","function":{"name","description",
// "parameters","strict"}}]) or a plain array of {"name","description","parameters"} objects.
// Parameters stay JSON text, as they travel on to the provider.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/ToolCall.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host::cli {

/// The tools, or one line naming what is wrong and where ("tool 2: ...").
Expected<std::vector<ToolDefinition>, std::string> parseTools(std::string_view json);

}  // namespace agent::host::cli
