#include "protocol/Lifecycle.hpp"

#include "protocol/JsonRpc.hpp"

namespace agent::mcp {

bool isSupportedVersion(std::string_view version) {
  for (std::string_view known : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
    if (version == known) return true;
  }
  return false;
}

std::string initializeParams(std::string_view clientVersion) {
  return "{\"protocolVersion\":" + quoted(kProtocolVersion) +
         ",\"capabilities\":{},\"clientInfo\":{\"name\":\"agent-host\",\"version\":" +
         quoted(clientVersion) + "}}";
}

}  // namespace agent::mcp
