// SchemaWalk: visits every subschema of a JSON Schema document, in schema positions only.
//
// Schema positions are where the drafts (04 to 2020-12) put subschemas: properties, items,
// allOf, contains, if, ... A property that happens to be named "const" is not a keyword. Local
// $ref targets are visited too (once each, with the reference as their pointer), so a schema
// kept under an unknown key and used through $ref is not missed. The walk is pre-order: a
// visitor may rewrite a node's keywords, and the walk then descends into what the node holds.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include "schema/PointerFragment.hpp"
#include "schema/SchemaLimits.hpp"

namespace agent::bitrouter {

/// Walks `root` and every subschema; visit(node, pointer) returns "" to go on, or a problem that
/// stops the walk and is returned.
template <class V, class Visit>
class SchemaWalk {
 public:
  SchemaWalk(V& root, Visit& visit) : root_(root), visit_(visit) {}

  std::string run() {
    std::string pointer = "#";
    if (std::string problem = walk(root_, pointer, 0); !problem.empty()) return problem;
    // Local $ref targets outside the schema positions, until none is left.
    for (std::size_t i = 0; i < references_.size(); ++i) {
      const std::string target = references_[i];
      const rapidjson::Pointer resolved(target.data(), target.size());
      if (!resolved.IsValid()) continue;
      V* node = resolved.Get(root_);
      if (node == nullptr || visited_.count(node) != 0) continue;
      std::string at = pointerFragment(resolved);
      if (std::string problem = walk(*node, at, 0); !problem.empty()) return problem;
    }
    return {};
  }

 private:
  std::string walk(V& schema, std::string& pointer, std::size_t depth) {
    if (depth > kMaxSchemaNesting) {
      return "responseSchema nests deeper than " + std::to_string(kMaxSchemaNesting) + " levels";
    }
    if (!visited_.insert(&schema).second) return {};
    if (std::string problem = visit_(schema, pointer); !problem.empty()) return problem;
    if (!schema.IsObject()) return {};
    noteReference(schema);

    const std::size_t mark = pointer.size();
    auto descend = [&](V& child, std::string_view keyword, std::string_view name) {
      appendFragmentToken(pointer, keyword);
      if (!name.empty()) appendFragmentToken(pointer, name);
      std::string problem = walk(child, pointer, depth + 1);
      pointer.resize(mark);
      return problem;
    };
    static constexpr std::array<const char*, 6> kMaps{"properties",   "patternProperties",
                                                      "definitions",  "$defs",
                                                      "dependencies", "dependentSchemas"};
    for (const char* keyword : kMaps) {
      auto member = schema.FindMember(keyword);
      if (member == schema.MemberEnd() || !member->value.IsObject()) continue;
      for (auto& entry : member->value.GetObject()) {
        if (entry.value.IsArray()) continue;  // "dependencies" property lists are not schemas
        const std::string_view name(entry.name.GetString(), entry.name.GetStringLength());
        if (std::string problem = descend(entry.value, keyword, name); !problem.empty()) {
          return problem;
        }
      }
    }
    static constexpr std::array<const char*, 8> kSingle{
        "additionalItems", "additionalProperties", "not", "contains", "if", "then", "else",
        "propertyNames"};
    for (const char* keyword : kSingle) {
      auto member = schema.FindMember(keyword);
      if (member == schema.MemberEnd()) continue;
      if (!member->value.IsObject() && !member->value.IsBool()) continue;
      // Booleans are draft-04 values of these two, not boolean schemas.
      const std::string_view name(keyword);
      if (member->value.IsBool() && (name == "additionalItems" || name == "additionalProperties")) {
        continue;
      }
      if (std::string problem = descend(member->value, keyword, {}); !problem.empty()) {
        return problem;
      }
    }
    static constexpr std::array<const char*, 5> kLists{"items", "allOf", "anyOf", "oneOf",
                                                       "prefixItems"};
    for (const char* keyword : kLists) {
      auto member = schema.FindMember(keyword);
      if (member == schema.MemberEnd()) continue;
      if (member->value.IsArray()) {
        for (rapidjson::SizeType i = 0; i < member->value.Size(); ++i) {
          const std::string index = std::to_string(i);
          if (std::string problem = descend(member->value[i], keyword, index); !problem.empty()) {
            return problem;
          }
        }
      } else if (member->value.IsObject() || member->value.IsBool()) {
        if (std::string problem = descend(member->value, keyword, {}); !problem.empty()) {
          return problem;
        }
      }
    }
    return {};
  }

  void noteReference(const V& schema) {
    const auto ref = schema.FindMember("$ref");
    if (ref == schema.MemberEnd() || !ref->value.IsString()) return;
    const std::string_view target(ref->value.GetString(), ref->value.GetStringLength());
    if (!target.empty() && target.front() == '#') references_.emplace_back(target);
  }

  V& root_;
  Visit& visit_;
  std::unordered_set<const V*> visited_;
  std::vector<std::string> references_;
};

/// Walks `root` (a rapidjson::Value, const or not) with `visit`; see SchemaWalk.
template <class V, class Visit>
std::string walkSchema(V& root, Visit&& visit) {
  SchemaWalk<V, std::remove_reference_t<Visit>> walker(root, visit);
  return walker.run();
}

}  // namespace agent::bitrouter
