// ArgumentCheck: a light check of a call's arguments against a tool's inputSchema, before the
// call leaves: the arguments are a JSON object, every `required` property is there, and each
// top-level property with a plain `type` has that type. Everything else is left to the server
// (which validates anyway): a keyword this check does not know never fails a valid call.
//
// The project's full validator lives in the BitRouter plugin; sharing it would need a library
// below both plugins, which is a change of its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace agent::mcp {

/// One line saying what is wrong, or nullopt when the arguments may be sent.
std::optional<std::string> checkArguments(std::string_view arguments, std::string_view schema);

}  // namespace agent::mcp
