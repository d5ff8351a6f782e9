// Fuzzes ErrorEnvelopeParser::parse, which turns any error body (BitRouter's envelope, an
// upstream passthrough, axum's plain text, a proxy's HTML) into a short message.
// Properties: the message, type and code are single lines of bounded size, and the key handed to
// the redactor never comes out, whatever the server echoed.
#include "FuzzSupport.hpp"
#include "chat/ErrorEnvelopeParser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace agent;
  const bitrouter::Redactor redactor{std::string(fuzz::kSecret)};
  const bitrouter::ErrorEnvelope envelope =
      bitrouter::ErrorEnvelopeParser::parse(fuzz::asText(data, size), redactor);
  constexpr std::size_t kLimit = bitrouter::ErrorEnvelopeParser::kMaxMessageBytes + 3;  // "..."
  for (const std::string* field : {&envelope.message, &envelope.type, &envelope.code}) {
    FUZZ_CHECK(fuzz::isOneLine(*field), "fields are one line");
    FUZZ_CHECK(field->size() <= kLimit, "fields are bounded");
    FUZZ_CHECK(!fuzz::contains(*field, fuzz::kSecret), "the key never comes out");
  }
  return 0;
}
