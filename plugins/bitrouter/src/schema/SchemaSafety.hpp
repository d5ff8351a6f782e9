// SchemaSafety: refuses what RapidJSON 1.1.0 cannot build or run safely in a caller's schema.
//
// RapidJSON's SchemaDocument builds a schema from every object in the document, schema position
// or not, and both it and the validator recurse without limits. Each of these, found by the
// schema fuzz target, crashes the process (stack overflow, assertion, or a validation that never
// ends), so a caller's responseSchema holding one is refused before any request is sent:
//   * a "pattern" (or patternProperties key) the regex engine recurses on without end ("a**",
//     "(a*)*") or cannot parse ("(a");
//   * a "patternProperties" that is not an object, anywhere (read unchecked while building);
//   * a local "$ref" to a value that is not an object, or to an object outside the schema
//     positions that is not a valid schema (MetaSchema) - RapidJSON would use it as one;
//   * schemas that apply to the same value in a cycle, through $ref, allOf, anyOf, oneOf, not or
//     schema dependencies ({"$ref":"#"}, {"anyOf":[{"$ref":"#"}]}), or that stack up too many on
//     one value (a chain deeper than kMaxSchemaNesting, or more than kMaxSameValueSchemas
//     validators, which anyOf over shared definitions multiplies).
// The checks run on the normalised document: the one RapidJSON compiles.
#pragma once

#include <cstddef>
#include <string>

#include <rapidjson/document.h>

namespace agent::bitrouter {

class SchemaSafety {
 public:
  static constexpr std::size_t kMaxSameValueSchemas = 4096;

  /// A description of the first problem, or "" when RapidJSON can take the schema.
  static std::string check(const rapidjson::Document& schema);
};

}  // namespace agent::bitrouter
