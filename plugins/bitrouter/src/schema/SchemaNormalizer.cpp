#include "schema/SchemaNormalizer.hpp"

#include <array>
#include <string_view>

#include <rapidjson/pointer.h>

#include "chat/TextExcerpt.hpp"
#include "schema/PointerFragment.hpp"

namespace agent::bitrouter {
namespace {

using Value = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

// Visits `schema` and then every subschema under it, in schema positions only. visit(node,
// pointer) returns "" to go on or a problem that stops the walk.
template <class V, class Visit>
std::string walk(V& schema, std::string& pointer, std::size_t depth, Visit& visit) {
  if (depth > SchemaNormalizer::kMaxSchemaDepth) {
    return "responseSchema nests deeper than " + std::to_string(SchemaNormalizer::kMaxSchemaDepth) +
           " levels";
  }
  if (std::string problem = visit(schema, pointer); !problem.empty()) return problem;
  if (!schema.IsObject()) return {};

  const std::size_t mark = pointer.size();
  auto descend = [&](V& child, std::string_view keyword,
                     std::string_view name = {}) -> std::string {
    appendFragmentToken(pointer, keyword);
    if (!name.empty()) appendFragmentToken(pointer, name);
    std::string problem = walk(child, pointer, depth + 1, visit);
    pointer.resize(mark);
    return problem;
  };

  static constexpr std::array<const char*, 4> kMaps{"properties", "patternProperties",
                                                    "definitions", "dependencies"};
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
  static constexpr std::array<const char*, 3> kSingle{"additionalItems", "additionalProperties",
                                                      "not"};
  for (const char* keyword : kSingle) {
    auto member = schema.FindMember(keyword);
    if (member == schema.MemberEnd() || !member->value.IsObject()) continue;
    if (std::string problem = descend(member->value, keyword); !problem.empty()) return problem;
  }
  static constexpr std::array<const char*, 4> kLists{"items", "allOf", "anyOf", "oneOf"};
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
      if (std::string problem = descend(member->value, keyword); !problem.empty()) return problem;
    }
  }
  return {};
}

// Moves the value of member `from` out and erases the member.
Value takeMember(Value& object, const char* from) {
  Value taken;
  auto member = object.FindMember(from);
  if (member == object.MemberEnd()) return taken;
  taken.Swap(member->value);
  object.RemoveMember(member);
  return taken;
}

void renameDefs(Value& schema, Allocator& allocator) {
  if (!schema.HasMember("$defs")) return;
  Value defs = takeMember(schema, "$defs");
  if (!defs.IsObject()) return;
  auto definitions = schema.FindMember("definitions");
  if (definitions == schema.MemberEnd() || !definitions->value.IsObject()) {
    schema.RemoveMember("definitions");
    schema.AddMember("definitions", defs, allocator);
    return;
  }
  for (auto& entry : defs.GetObject()) {
    if (definitions->value.HasMember(entry.name)) continue;  // "definitions" wins a clash
    Value name(entry.name, allocator);
    definitions->value.AddMember(name, entry.value, allocator);
  }
}

void constToEnum(Value& schema, Allocator& allocator) {
  if (!schema.HasMember("const")) return;
  Value constant = takeMember(schema, "const");
  schema.RemoveMember("enum");  // const is at least as strict as any enum beside it
  Value list(rapidjson::kArrayType);
  list.PushBack(constant, allocator);
  schema.AddMember("enum", list, allocator);
}

// Draft-06 numeric exclusive bounds -> draft-04 boolean form.
void exclusiveBound(Value& schema, const char* exclusiveName, const char* boundName, bool lower,
                    Allocator& allocator) {
  auto exclusive = schema.FindMember(exclusiveName);
  if (exclusive == schema.MemberEnd() || !exclusive->value.IsNumber()) return;
  Value limit = takeMember(schema, exclusiveName);
  auto bound = schema.FindMember(boundName);
  bool tighter = true;
  if (bound != schema.MemberEnd() && bound->value.IsNumber()) {
    const double a = limit.GetDouble();
    const double b = bound->value.GetDouble();
    tighter = lower ? a >= b : a <= b;
  }
  if (!tighter) return;  // the inclusive bound already excludes more
  schema.RemoveMember(boundName);
  schema.AddMember(rapidjson::StringRef(boundName), limit, allocator);
  schema.AddMember(rapidjson::StringRef(exclusiveName), Value(true), allocator);
}

void rewriteRef(Value& schema, Allocator& allocator) {
  auto ref = schema.FindMember("$ref");
  if (ref == schema.MemberEnd() || !ref->value.IsString()) return;
  std::string text(ref->value.GetString(), ref->value.GetStringLength());
  bool changed = false;
  for (const std::string_view from : {std::string_view("/$defs"), std::string_view("/%24defs")}) {
    std::size_t pos = 0;
    while ((pos = text.find(from, pos)) != std::string::npos) {
      const std::size_t after = pos + from.size();
      if (after != text.size() && text[after] != '/') {
        pos = after;
        continue;
      }
      text.replace(pos, from.size(), "/definitions");
      pos += 12;
      changed = true;
    }
  }
  if (changed)
    ref->value.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

}  // namespace

std::string SchemaNormalizer::normalize(rapidjson::Document& schema) {
  Allocator& allocator = schema.GetAllocator();
  auto visit = [&allocator](Value& node, const std::string&) -> std::string {
    if (node.IsBool()) {
      const bool accept = node.GetBool();
      node.SetObject();
      if (!accept) node.AddMember("not", Value(rapidjson::kObjectType), allocator);
      return {};
    }
    if (!node.IsObject()) return {};
    renameDefs(node, allocator);
    constToEnum(node, allocator);
    node.RemoveMember("format");
    exclusiveBound(node, "exclusiveMinimum", "minimum", true, allocator);
    exclusiveBound(node, "exclusiveMaximum", "maximum", false, allocator);
    rewriteRef(node, allocator);
    return std::string();
  };
  std::string pointer = "#";
  return walk(static_cast<Value&>(schema), pointer, 0, visit);
}

std::string SchemaNormalizer::checkReferences(const rapidjson::Document& schema) {
  auto visit = [&schema](const Value& node, const std::string& pointer) -> std::string {
    if (!node.IsObject()) return {};
    const auto ref = node.FindMember("$ref");
    if (ref == node.MemberEnd()) return {};
    if (!ref->value.IsString())
      return "responseSchema has a $ref that is not a string at '" + pointer + "'";
    const std::string target(ref->value.GetString(), ref->value.GetStringLength());
    // The target is the caller's text: an excerpt keeps the message one printable line.
    if (target.empty() || target.front() != '#') {
      return "responseSchema $ref '" + textExcerpt(target, 80) + "' at '" + pointer +
             "' is not local; only '#/...' references are supported";
    }
    const rapidjson::Pointer resolved(target.c_str(), target.size());
    if (!resolved.IsValid() || resolved.Get(schema) == nullptr) {
      return "responseSchema $ref '" + textExcerpt(target, 80) + "' at '" + pointer +
             "' does not resolve";
    }
    return {};
  };
  std::string pointer = "#";
  return walk(static_cast<const Value&>(schema), pointer, 0, visit);
}

}  // namespace agent::bitrouter
