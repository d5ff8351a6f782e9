// MetaSchema: checks that a caller's (normalised) schema is a draft-04 JSON Schema.
//
// RapidJSON's SchemaDocument trusts the types of some keywords it reads (an "allOf" entry, a
// "not" or an "items" entry that is not an object becomes a null schema it later dereferences),
// so every schema RapidJSON may validate with passes this check first: the whole document, and
// each $ref target outside the schema positions the first check covers (SchemaSafety).
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace agent::bitrouter {

/// "" when `schema` is a valid draft-04 schema; otherwise "responseSchema is not a valid JSON
/// Schema at '<where>/...' (meta-schema keyword 'k')". `where` is the fragment of `schema`
/// inside the caller's document ("#" for the whole of it).
std::string metaSchemaProblem(const rapidjson::Value& schema, std::string_view where);

}  // namespace agent::bitrouter
