// SchemaNormalizer: rewrites a JSON Schema into the draft-04 subset RapidJSON validates.
//
// RapidJSON 1.1's validator knows only draft-04 and silently accepts anything under keywords it
// does not know (P13) - exactly the keywords OpenAI-style structured-output schemas use. So a
// copy of the schema is normalised before it is compiled:
//   const: x                      -> enum: [x]
//   $defs (anywhere)              -> definitions, with every $ref ".../$defs/..." rewritten
//   format                        -> dropped (not validated; documented as best effort)
//   exclusiveMinimum/Maximum: n   -> minimum/maximum: n + exclusive...: true (draft-04 form)
//   true / false as a subschema   -> {} / {"not": {}}
// Only schema positions are walked (properties, items, allOf, ...), so a property that happens
// to be named "const" or "format" is left alone. The copy sent to BitRouter is not changed.
// What RapidJSON cannot build or run safely is SchemaSafety's to refuse, after normalising.
#pragma once

#include <cstddef>
#include <string>

#include <rapidjson/document.h>

namespace agent::bitrouter {

class SchemaNormalizer {
 public:
  static constexpr std::size_t kMaxSchemaDepth = 64;

  /// Normalises in place. Returns a description of the problem, or "" on success.
  static std::string normalize(rapidjson::Document& schema);

  /// Checks that every $ref is local ("#...") and resolves in `schema`. Returns a description
  /// of the first bad one, or "".
  static std::string checkReferences(const rapidjson::Document& schema);
};

}  // namespace agent::bitrouter
