// Fuzzes ChatResponseParser::parse, which reads a whole non-streaming reply body from the server.
// Properties: no crash or sanitizer report on any bytes (deep nesting included: parsing is
// iterative), an error is a one-line BadResponse, and token counts are never negative.
#include "FuzzSupport.hpp"
#include "chat/ChatResponseParser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace agent;
  std::string body(fuzz::asText(data, size));  // parsed in place: the parser owns a copy
  const auto parsed = bitrouter::ChatResponseParser::parse(body);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().kind == ErrorKind::BadResponse, "error kind is BadResponse");
    FUZZ_CHECK(!parsed.error().message.empty(), "error message is not empty");
    FUZZ_CHECK(fuzz::isOneLine(parsed.error().message), "error message is one line");
  } else if (parsed.value().usage) {
    // Whatever numbers the server sent (negative, 1e300, beyond int64), the counts handed to
    // callers are sane; converting an out-of-range double is undefined behaviour.
    const TokenUsage& usage = *parsed.value().usage;
    FUZZ_CHECK(usage.promptTokens >= 0 && usage.completionTokens >= 0 && usage.totalTokens >= 0,
               "token counts are never negative");
  }
  return 0;
}
