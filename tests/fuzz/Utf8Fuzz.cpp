// Fuzzes the two UTF-8 routines against each other: the plugin's validator (which refuses to
// send ill-formed prompts) and the host's repair (which keeps the CLI's JSON output valid).
// Properties: the repair always yields text the validator accepts, and leaves valid text alone.
#include <string>

#include "FuzzSupport.hpp"
#include "agent/support/Utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = agent::fuzz::asText(data, size);
  const std::string repaired = agent::text::toValidUtf8(text);
  FUZZ_CHECK(agent::text::isValidUtf8(repaired), "the repair yields valid UTF-8");
  if (agent::text::isValidUtf8(text)) {
    FUZZ_CHECK(repaired == text, "valid text is left alone");
  }
  return 0;
}
