#include "schema/MetaSchema.hpp"

#include <cstddef>

#include <rapidjson/schema.h>

#include "schema/CappedValidation.hpp"
#include "schema/PointerFragment.hpp"

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

}  // namespace

std::string metaSchemaProblem(const rapidjson::Value& schema, std::string_view where) {
  std::string problem;
  const bool withinCap =
      validateWithinMemory(metaSchema(), kMaxMetaValidationBytes, [&](CappedValidator& validator) {
        if (schema.Accept(validator)) return;
        // The validator's pointer is relative to `schema`: "#/a" inside `where`.
        const std::string inner = pointerFragment(validator.GetInvalidDocumentPointer());
        problem = "responseSchema is not a valid JSON Schema at '" + std::string(where) +
                  inner.substr(1) + "' (meta-schema keyword '" +
                  validator.GetInvalidSchemaKeyword() + "')";
      });
  if (!withinCap) return "responseSchema is too large to check";
  return problem;
}

}  // namespace agent::bitrouter
