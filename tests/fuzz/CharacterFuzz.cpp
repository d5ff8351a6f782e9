// Fuzzes the character file parser (--character FILE): the host reads it before any plugin
// loads, so malformed or hostile JSON must come back as a CharacterError, never a crash.
// Properties: no crash (deep nesting included) and an error message that names the origin.
#include <variant>

#include "FuzzSupport.hpp"
#include "agent/host/Character.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = agent::host::parseCharacter(agent::fuzz::asText(data, size), "fuzz");
  if (!parsed) {
    FUZZ_CHECK(parsed.error().message.rfind("fuzz: ", 0) == 0, "the error names the origin");
  }
  return 0;
}
