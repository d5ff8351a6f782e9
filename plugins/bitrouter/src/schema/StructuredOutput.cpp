#include "schema/StructuredOutput.hpp"

#include <optional>

#include <rapidjson/memorystream.h>
#include <rapidjson/pointer.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "agent/support/Text.hpp"
#include "errors/TextExcerpt.hpp"
#include "schema/CappedValidation.hpp"
#include "schema/JsonNumber.hpp"
#include "schema/JsonText.hpp"
#include "schema/PointerFragment.hpp"
#include "schema/SchemaLimits.hpp"

namespace agent::bitrouter {
namespace {

constexpr std::string_view kFence = "```";
// Far above what any real schema needs on any real reply (a few hundred KiB at most), far below
// what a schema whose branches multiply with the reply's depth would take.
constexpr std::size_t kMaxValidationBytes = std::size_t{32} << 20;

// Validates every SAX event and writes it out compactly; stops at the first failure. Numbers
// arrive as text (kParseNumbersAsStringsFlag): the validator gets their exact value and the writer
// copies the text unchanged, so a reply's numbers are never rewritten.
struct ValidatingWriter {
  using Ch = char;
  using SizeType = rapidjson::SizeType;

  CappedValidator& validator;
  rapidjson::Writer<rapidjson::StringBuffer>& writer;
  ExactNumberHandler<CappedValidator> exactNumbers{validator};

  bool Null() { return validator.Null() && writer.Null(); }
  bool Bool(bool b) { return validator.Bool(b) && writer.Bool(b); }
  bool Int(int i) { return validator.Int(i) && writer.Int(i); }
  bool Uint(unsigned u) { return validator.Uint(u) && writer.Uint(u); }
  bool Int64(std::int64_t i) { return validator.Int64(i) && writer.Int64(i); }
  bool Uint64(std::uint64_t u) { return validator.Uint64(u) && writer.Uint64(u); }
  bool Double(double d) { return validator.Double(d) && writer.Double(d); }
  bool RawNumber(const Ch* text, SizeType length, bool copy) {
    return exactNumbers.RawNumber(text, length, copy) &&
           writer.RawValue(text, length, rapidjson::kNumberType);
  }
  bool String(const Ch* s, SizeType n, bool copy) {
    return validator.String(s, n, copy) && writer.String(s, n, copy);
  }
  bool StartObject() { return validator.StartObject() && writer.StartObject(); }
  bool Key(const Ch* s, SizeType n, bool copy) {
    return validator.Key(s, n, copy) && writer.Key(s, n, copy);
  }
  bool EndObject(SizeType n) { return validator.EndObject(n) && writer.EndObject(n); }
  bool StartArray() { return validator.StartArray() && writer.StartArray(); }
  bool EndArray(SizeType n) { return validator.EndArray(n) && writer.EndArray(n); }
};

// For a failed "required": the first listed member the reply's object lacks.
std::string missingRequired(std::string_view json, const rapidjson::Pointer& documentPointer,
                            const rapidjson::Pointer& schemaPointer,
                            const rapidjson::Document& schema) {
  const rapidjson::Value* schemaNode = schemaPointer.Get(schema);
  if (schemaNode == nullptr || !schemaNode->IsObject()) return {};
  const auto required = schemaNode->FindMember("required");
  if (required == schemaNode->MemberEnd() || !required->value.IsArray()) return {};
  rapidjson::Document reply;
  reply.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (reply.HasParseError()) return {};
  const rapidjson::Value* object = documentPointer.Get(reply);
  if (object == nullptr || !object->IsObject()) return {};
  for (const auto& name : required->value.GetArray()) {
    if (name.IsString() && !object->HasMember(name)) {
      return std::string(name.GetString(), name.GetStringLength());
    }
  }
  return {};
}

ModelError badResponse(std::string what) {
  return makeError(ErrorKind::BadResponse, std::move(what));
}

// Parses `json`, validating and writing it out compactly in one pass.
Expected<std::string> validateWith(CappedValidator& validator, std::string_view json,
                                   const CompiledSchema& schema) {
  rapidjson::StringBuffer compact;
  rapidjson::Writer<rapidjson::StringBuffer> writer(compact);
  ValidatingWriter handler{validator, writer};
  rapidjson::MemoryStream input(json.data(), json.size());
  rapidjson::Reader reader;
  const rapidjson::ParseResult result =
      reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(input,
                                                                                           handler);

  if (!validator.IsValid()) {
    const rapidjson::Pointer documentPointer = validator.GetInvalidDocumentPointer();
    const rapidjson::Pointer schemaPointer = validator.GetInvalidSchemaPointer();
    const std::string keyword = validator.GetInvalidSchemaKeyword();
    std::string what = "BitRouter's reply does not match responseSchema at '" +
                       pointerFragment(documentPointer) + "' (keyword '" + keyword + "'";
    if (keyword == "required") {
      const std::string missing =
          missingRequired(json, documentPointer, schemaPointer, schema.normalized());
      // The name is the caller's text: an excerpt keeps the message one printable line.
      if (!missing.empty()) what += ": missing '" + textExcerpt(missing, 80) + "'";
    }
    what += ", schema '" + pointerFragment(schemaPointer) + "')";
    return badResponse(std::move(what));
  }
  if (std::string problem =
          parseProblem("BitRouter's reply", result, handler.exactNumbers.numberTooBig);
      !problem.empty()) {
    return badResponse(std::move(problem));
  }
  return std::string(compact.GetString(), compact.GetSize());
}

}  // namespace

std::string_view StructuredOutput::stripFence(std::string_view text) noexcept {
  std::string_view body = text::trim(text);
  std::size_t open = body.rfind(kFence, 0) == 0 ? 0 : std::string_view::npos;
  if (open == std::string_view::npos) {
    // Prose around a fenced block: take the first ```json block.
    open = body.find("```json");
    if (open == std::string_view::npos) open = body.find("```JSON");
    if (open == std::string_view::npos) return body;
  }
  std::string_view inner = body.substr(open + kFence.size());
  // Skip a language tag ("json", "JSON", "json5"...) on the opening line.
  std::size_t tag = 0;
  while (tag < inner.size() &&
         ((inner[tag] >= 'a' && inner[tag] <= 'z') || (inner[tag] >= 'A' && inner[tag] <= 'Z') ||
          (inner[tag] >= '0' && inner[tag] <= '9'))) {
    ++tag;
  }
  inner.remove_prefix(tag);
  const std::size_t close = inner.find(kFence);
  if (close != std::string_view::npos) inner = inner.substr(0, close);
  return text::trim(inner);
}

Expected<std::string> StructuredOutput::validate(std::string_view reply,
                                                 const CompiledSchema& schema) {
  const std::string_view json = stripFence(reply);
  if (json.empty())
    return badResponse("BitRouter's reply is empty, expected JSON for responseSchema");
  // RapidJSON's validator slows down sharply with depth; no real reply nests this deep.
  if (jsonNestingDepth(json) > kMaxSchemaNesting) {
    return badResponse("BitRouter's reply nests deeper than " + std::to_string(kMaxSchemaNesting) +
                       " levels");
  }

  std::optional<Expected<std::string>> outcome;
  const bool withinCap = validateWithinMemory(
      schema.schema(), kMaxValidationBytes,
      [&](CappedValidator& validator) { outcome = validateWith(validator, json, schema); });
  if (!withinCap) {
    return badResponse("validating BitRouter's reply against responseSchema needs more than " +
                       std::to_string(kMaxValidationBytes >> 20) +
                       " MiB: the schema's anyOf/allOf/oneOf branches multiply with each level "
                       "of the reply's nesting");
  }
  return std::move(*outcome);
}

Expected<std::string> validateJson(std::string_view schemaJson, std::string_view json) {
  auto compiled = CompiledSchema::compile(schemaJson);
  if (!compiled) return std::move(compiled.error());
  return StructuredOutput::validate(json, *compiled.value());
}

}  // namespace agent::bitrouter
