#include "agent/bitrouter/CompiledSchema.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "agent/bitrouter/CappedValidation.hpp"
#include "agent/bitrouter/JsonDepth.hpp"
#include "agent/bitrouter/JsonNumber.hpp"
#include "agent/bitrouter/PointerFragment.hpp"
#include "agent/bitrouter/SchemaNormalizer.hpp"
#include "agent/bitrouter/SchemaSafety.hpp"

namespace agent::bitrouter {
namespace {

// The draft-04 meta-schema, minus "id"/"$schema" (nothing is fetched) and with "required"
// allowed to be empty (draft-06 relaxed that, and OpenAI-style schemas rely on it).
constexpr const char* kDraft04MetaSchema = R"json({
  "definitions": {
    "schemaArray": {"type": "array", "minItems": 1, "items": {"$ref": "#"}},
    "positiveInteger": {"type": "integer", "minimum": 0},
    "positiveIntegerDefault0": {"allOf": [{"$ref": "#/definitions/positiveInteger"}, {"default": 0}]},
    "simpleTypes": {"enum": ["array", "boolean", "integer", "null", "number", "object", "string"]},
    "stringArray": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
  },
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "$schema": {"type": "string"},
    "title": {"type": "string"},
    "description": {"type": "string"},
    "default": {},
    "multipleOf": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
    "maximum": {"type": "number"},
    "exclusiveMaximum": {"type": "boolean"},
    "minimum": {"type": "number"},
    "exclusiveMinimum": {"type": "boolean"},
    "maxLength": {"$ref": "#/definitions/positiveInteger"},
    "minLength": {"$ref": "#/definitions/positiveIntegerDefault0"},
    "pattern": {"type": "string"},
    "additionalItems": {"anyOf": [{"type": "boolean"}, {"$ref": "#"}]},
    "items": {"anyOf": [{"$ref": "#"}, {"$ref": "#/definitions/schemaArray"}]},
    "maxItems": {"$ref": "#/definitions/positiveInteger"},
    "minItems": {"$ref": "#/definitions/positiveIntegerDefault0"},
    "uniqueItems": {"type": "boolean"},
    "maxProperties": {"$ref": "#/definitions/positiveInteger"},
    "minProperties": {"$ref": "#/definitions/positiveIntegerDefault0"},
    "required": {"$ref": "#/definitions/stringArray"},
    "additionalProperties": {"anyOf": [{"type": "boolean"}, {"$ref": "#"}]},
    "definitions": {"type": "object", "additionalProperties": {"$ref": "#"}},
    "properties": {"type": "object", "additionalProperties": {"$ref": "#"}},
    "patternProperties": {"type": "object", "additionalProperties": {"$ref": "#"}},
    "dependencies": {"type": "object",
                     "additionalProperties": {"anyOf": [{"$ref": "#"}, {"$ref": "#/definitions/stringArray"}]}},
    "enum": {"type": "array", "minItems": 1},
    "type": {"anyOf": [{"$ref": "#/definitions/simpleTypes"},
                       {"type": "array", "items": {"$ref": "#/definitions/simpleTypes"},
                        "minItems": 1, "uniqueItems": true}]},
    "allOf": {"$ref": "#/definitions/schemaArray"},
    "anyOf": {"$ref": "#/definitions/schemaArray"},
    "oneOf": {"$ref": "#/definitions/schemaArray"},
    "not": {"$ref": "#"}
  },
  "dependencies": {"exclusiveMaximum": ["maximum"], "exclusiveMinimum": ["minimum"]}
})json";

// Built once, on first use; immutable afterwards and so safe to share between threads.
const rapidjson::SchemaDocument& metaSchema() {
  static const rapidjson::Document document = [] {
    rapidjson::Document parsed;
    parsed.Parse(kDraft04MetaSchema);
    return parsed;
  }();
  static const rapidjson::SchemaDocument schema(document);
  return schema;
}

// The meta-schema's branches never multiply (at most one of each anyOf descends into a value),
// so this only stops a schema document of absurd size.
constexpr std::size_t kMaxMetaValidationBytes = std::size_t{64} << 20;

ModelError badRequest(std::string what) {
  return makeError(ErrorKind::BadRequest, std::move(what));
}

}  // namespace

Expected<std::shared_ptr<const CompiledSchema>> CompiledSchema::compile(
    std::string_view schemaJson) {
  if (jsonNestingDepth(schemaJson) > kMaxJsonDepth) {
    return badRequest("responseSchema nests deeper than " + std::to_string(kMaxJsonDepth) +
                      " levels");
  }
  rapidjson::Document original;
  rapidjson::ParseResult parsed;
  bool numberTooBig = false;
  auto parse = [&](rapidjson::Document& document) {
    ExactNumberHandler<rapidjson::Document> exact{document};
    rapidjson::MemoryStream input(schemaJson.data(), schemaJson.size());
    rapidjson::Reader reader;
    parsed = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(
        input, exact);
    numberTooBig = exact.numberTooBig;
    return !parsed.IsError();
  };
  original.Populate(parse);
  if (numberTooBig) {
    return badRequest("responseSchema has a number too large for a double at offset " +
                      std::to_string(parsed.Offset()));
  }
  if (parsed.IsError()) {
    return badRequest(std::string("responseSchema is not valid JSON (") +
                      rapidjson::GetParseError_En(parsed.Code()) + " at offset " +
                      std::to_string(parsed.Offset()) + ")");
  }
  if (!original.IsObject()) return badRequest("responseSchema must be a JSON object");

  std::shared_ptr<CompiledSchema> compiled(new CompiledSchema());
  rapidjson::StringBuffer compact;
  rapidjson::Writer<rapidjson::StringBuffer> writer(compact);
  original.Accept(writer);
  compiled->compact_.assign(compact.GetString(), compact.GetSize());

  rapidjson::Document& normalized = compiled->normalized_;
  normalized.CopyFrom(original, normalized.GetAllocator());
  if (std::string problem = SchemaNormalizer::normalize(normalized); !problem.empty()) {
    return badRequest(problem);
  }
  if (std::string problem = SchemaNormalizer::checkReferences(normalized); !problem.empty()) {
    return badRequest(problem);
  }
  if (std::string problem = SchemaSafety::check(normalized); !problem.empty()) {
    return badRequest(problem);
  }

  std::string metaProblem;
  const bool withinCap = validateWithinMemory(
      metaSchema(), kMaxMetaValidationBytes, [&](CappedValidator& metaValidator) {
        if (normalized.Accept(metaValidator)) return;
        metaProblem = "responseSchema is not a valid JSON Schema at '" +
                      pointerFragment(metaValidator.GetInvalidDocumentPointer()) +
                      "' (meta-schema keyword '" + metaValidator.GetInvalidSchemaKeyword() + "')";
      });
  if (!withinCap) return badRequest("responseSchema is too large to check");
  if (!metaProblem.empty()) return badRequest(std::move(metaProblem));
  compiled->schema_ = std::make_unique<rapidjson::SchemaDocument>(normalized);
  return std::shared_ptr<const CompiledSchema>(std::move(compiled));
}

}  // namespace agent::bitrouter
