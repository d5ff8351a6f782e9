// KeywordPolicy: every keyword of a caller's schema is enforced, rewritten or refused.
//
// RapidJSON 1.1's validator speaks draft-04 and accepts anything under a keyword it does not
// know, so a reply breaking a draft-06+ keyword would pass as valid. Each keyword is therefore
// one of:
//   * enforced: draft-04 validation keywords, which RapidJSON checks itself;
//   * rewritten into draft-04 by SchemaNormalizer: const, $defs, contains, if/then/else,
//     prefixItems, dependentRequired, dependentSchemas, propertyNames (boolean, or with only
//     pattern and maxLength), numeric exclusiveMinimum/Maximum, boolean subschemas;
//   * an annotation, which says nothing about validity: title, description, examples, default,
//     $comment, format (not checked), readOnly, writeOnly, deprecated, $schema, $id/id, and
//     vendor "x-" keys;
//   * refused before any request: everything else (unevaluatedProperties, minContains, $anchor,
//     typos ...), naming the keyword and where it is.
// The policy reads the caller's schema as written, so the pointers it reports are the caller's.
#pragma once

#include <string>

#include <rapidjson/document.h>

namespace agent::bitrouter {

/// "" when every keyword of `schema` is enforced, rewritten or an annotation; otherwise why not.
std::string keywordPolicyProblem(const rapidjson::Value& schema);

}  // namespace agent::bitrouter
