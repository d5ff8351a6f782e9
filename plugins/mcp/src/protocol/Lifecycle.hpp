// Lifecycle: the handshake's texts: what the client asks for, which versions it accepts.
#pragma once

#include <string>
#include <string_view>

namespace agent::mcp {

inline constexpr std::string_view kProtocolVersion = "2025-11-25";

/// The versions a server may answer with: the one asked for and the three before it.
bool isSupportedVersion(std::string_view version);

/// `initialize` params: the version, no client capabilities (no sampling, elicitation or roots),
/// and the client's name and version.
std::string initializeParams(std::string_view clientVersion);

}  // namespace agent::mcp
