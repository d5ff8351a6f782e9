#include "schema/KeywordPolicy.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "errors/TextExcerpt.hpp"
#include "schema/SchemaWalk.hpp"

namespace agent::bitrouter {
namespace {

using Value = rapidjson::Value;

// Enforced by RapidJSON (draft-04) or rewritten into draft-04 by SchemaNormalizer.
constexpr std::array<std::string_view, 38> kValidationKeywords{"type",
                                                               "enum",
                                                               "const",
                                                               "multipleOf",
                                                               "maximum",
                                                               "minimum",
                                                               "exclusiveMaximum",
                                                               "exclusiveMinimum",
                                                               "maxLength",
                                                               "minLength",
                                                               "pattern",
                                                               "items",
                                                               "additionalItems",
                                                               "prefixItems",
                                                               "maxItems",
                                                               "minItems",
                                                               "uniqueItems",
                                                               "contains",
                                                               "maxProperties",
                                                               "minProperties",
                                                               "required",
                                                               "properties",
                                                               "patternProperties",
                                                               "additionalProperties",
                                                               "dependencies",
                                                               "dependentRequired",
                                                               "dependentSchemas",
                                                               "propertyNames",
                                                               "allOf",
                                                               "anyOf",
                                                               "oneOf",
                                                               "not",
                                                               "if",
                                                               "then",
                                                               "else",
                                                               "definitions",
                                                               "$defs",
                                                               "$ref"};

// Say nothing about whether a value is valid. (contentMediaType/contentEncoding are not here:
// draft-07 lets validators check them, and this one does not, so they are refused.)
constexpr std::array<std::string_view, 12> kAnnotations{
    "title",    "description", "examples",   "default", "$comment", "format",
    "readOnly", "writeOnly",   "deprecated", "$schema", "$id",      "id"};

template <std::size_t N>
bool isOneOf(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool isAnnotation(std::string_view name) {
  return isOneOf(name, kAnnotations) || name.rfind("x-", 0) == 0;
}

std::string at(const std::string& pointer, std::string_view keyword) {
  std::string where = pointer;
  appendFragmentToken(where, keyword);
  return where;
}

// propertyNames is rewritten through patternProperties/additionalProperties, which can say
// "every name matches a pattern" and nothing else: pattern and maxLength (as "^.{0,n}$").
std::string propertyNamesProblem(const Value& names, const std::string& pointer) {
  const std::string where = at(pointer, "propertyNames");
  if (names.IsBool()) return {};
  if (!names.IsObject()) return "responseSchema propertyNames at '" + where + "' is not a schema";
  for (const auto& member : names.GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if (isAnnotation(name)) continue;
    if (name == "pattern" && member.value.IsString()) continue;
    if (name == "maxLength" && member.value.IsUint() && member.value.GetUint() <= 1000) continue;
    return "responseSchema keyword '" + textExcerpt(name, 40) + "' in propertyNames at '" + where +
           "' is not supported: propertyNames may hold only pattern and maxLength (up to 1000)";
  }
  return {};
}

// The local $ref targets of `schema`, as fragments encoded the way SchemaWalk's pointers are.
std::vector<std::string> referenceTargets(const rapidjson::Value& schema) {
  std::vector<std::string> targets;
  auto collect = [&targets](const Value& node, const std::string&) -> std::string {
    if (!node.IsObject()) return {};
    const auto ref = node.FindMember("$ref");
    if (ref == node.MemberEnd() || !ref->value.IsString()) return {};
    const rapidjson::Pointer pointer(ref->value.GetString(), ref->value.GetStringLength());
    if (ref->value.GetStringLength() > 0 && ref->value.GetString()[0] == '#' && pointer.IsValid()) {
      targets.push_back(pointerFragment(pointer));
    }
    return {};
  };
  walkSchema(schema, collect);
  return targets;
}

// Whether `where` holds a $ref target: an unknown key used as a container of schemas.
bool holdsReferenceTarget(const std::string& where, const std::vector<std::string>& targets) {
  for (const std::string& target : targets) {
    if (target.rfind(where, 0) == 0 &&
        (target.size() == where.size() || target[where.size()] == '/')) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string keywordPolicyProblem(const rapidjson::Value& schema) {
  const std::vector<std::string> targets = referenceTargets(schema);
  bool hasReference = !targets.empty();
  std::string nestedId;  // where a subschema sets $id/id, which moves what $refs resolve against
  auto visit = [&](const Value& node, const std::string& pointer) -> std::string {
    if (!node.IsObject()) return {};
    for (const auto& member : node.GetObject()) {
      const std::string_view name(member.name.GetString(), member.name.GetStringLength());
      if (name == "$ref") hasReference = true;
      if ((name == "$id" || name == "id") && pointer != "#" && member.value.IsString() &&
          nestedId.empty()) {
        nestedId = at(pointer, name);
      }
      if (name == "propertyNames") {
        if (std::string problem = propertyNamesProblem(member.value, pointer); !problem.empty()) {
          return problem;
        }
        continue;
      }
      if (isOneOf(name, kValidationKeywords) || isAnnotation(name)) continue;
      // Schemas kept under any key for $ref to use: the walk checks them as schemas.
      if (holdsReferenceTarget(at(pointer, name), targets)) continue;
      // The name is the caller's text: an excerpt keeps the message one printable line.
      return "responseSchema keyword '" + textExcerpt(name, 40) + "' at '" + at(pointer, name) +
             "' is not enforced by the validator (draft-04 with rewrites; see "
             "docs/structured-output.md): remove it, or use an x- prefix if it is only a note";
    }
    return {};
  };
  if (std::string problem = walkSchema(schema, visit); !problem.empty()) return problem;
  if (hasReference && !nestedId.empty()) {
    return "responseSchema sets an $id at '" + nestedId +
           "' inside a schema that uses $ref: a nested $id changes what $ref resolves to, which "
           "the validator does not support";
  }
  return {};
}

}  // namespace agent::bitrouter
