// SchemaNormalizer: rewrites a JSON Schema into the draft-04 form RapidJSON validates.
//
// RapidJSON 1.1's validator knows only draft-04 and silently accepts anything under keywords it
// does not know; KeywordPolicy refuses what cannot be rewritten, and a copy of the schema is
// normalised before it is compiled:
//   const: x                      -> enum: [x]
//   $defs (anywhere)              -> definitions, with every $ref ".../$defs/..." rewritten
//   format                        -> dropped (not validated)
//   exclusiveMinimum/Maximum: n   -> minimum/maximum: n + exclusive...: true (draft-04 form)
//   true / false as a subschema   -> {} / {"not": {}}
//   contains: X                   -> not: {type: array, items: {not: X}}
//   if/then/else                  -> anyOf: [{allOf: [if, then]}, {allOf: [{not: if}, else]}]
//   prefixItems + items           -> items (list) + additionalItems
//   dependentRequired/Schemas     -> dependencies
//   propertyNames (pattern, maxLength, false) -> patternProperties + additionalProperties: false
// plus a fix for RapidJSON's patternProperties beside additionalProperties (see the .cpp).
// Added conditions go into the node's allOf, so its own keywords keep their meaning. Only schema
// positions are walked (SchemaWalk). The copy sent to BitRouter is not changed.
#pragma once

#include <string>

#include <rapidjson/document.h>

namespace agent::bitrouter {

class SchemaNormalizer {
 public:
  /// Normalises in place. Returns a description of the problem, or "" on success.
  static std::string normalize(rapidjson::Value& schema,
                               rapidjson::Document::AllocatorType& allocator);
  static std::string normalize(rapidjson::Document& schema) {
    return normalize(schema, schema.GetAllocator());
  }

  /// Checks that every $ref is local ("#...") and resolves in `schema`. Returns a description
  /// of the first bad one, or "".
  static std::string checkReferences(const rapidjson::Value& schema);
};

}  // namespace agent::bitrouter
