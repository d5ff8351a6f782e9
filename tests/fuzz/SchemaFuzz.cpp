// Fuzzes structured output: CompiledSchema::compile (parse, normalise, check $refs, meta-validate,
// build RapidJSON's SchemaDocument) on a caller's schema, then StructuredOutput::validate on a
// model's reply against it. Input: the schema on the first line, the reply after it (no newline:
// the bytes are both), so the seeds stay text files.
// Properties: no crash or sanitizer report (RapidJSON's schema code recurses, so depth is bounded
// before it runs), errors are one-line BadRequest (schema) / BadResponse (reply), and a validated
// reply is itself valid JSON that validates again to the same text.
#include <string>

#include "FuzzSupport.hpp"
#include "schema/CompiledSchema.hpp"
#include "schema/StructuredOutput.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace agent;
  const std::string_view input = fuzz::asText(data, size);
  const std::size_t split = input.find('\n');
  const std::string_view schemaText = input.substr(0, split);
  const std::string_view reply = split == std::string_view::npos ? input : input.substr(split + 1);

  const auto compiled = bitrouter::CompiledSchema::compile(schemaText);
  if (!compiled) {
    FUZZ_CHECK(compiled.error().kind == ErrorKind::BadRequest, "schema errors are BadRequest");
    FUZZ_CHECK(fuzz::isOneLine(compiled.error().message), "schema errors are one line");
    return 0;
  }
  const auto validated = bitrouter::StructuredOutput::validate(reply, *compiled.value());
  if (!validated) {
    FUZZ_CHECK(validated.error().kind == ErrorKind::BadResponse, "reply errors are BadResponse");
    FUZZ_CHECK(fuzz::isOneLine(validated.error().message), "reply errors are one line");
    return 0;
  }
  const auto again = bitrouter::StructuredOutput::validate(validated.value(), *compiled.value());
  FUZZ_CHECK(again.ok(), "a validated reply validates again");
  FUZZ_CHECK(again.value() == validated.value(), "validation output is a fixed point");
  return 0;
}
