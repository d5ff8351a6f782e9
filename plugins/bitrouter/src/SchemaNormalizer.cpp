#include "agent/bitrouter/SchemaNormalizer.hpp"

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include <rapidjson/pointer.h>

#include "agent/bitrouter/PointerFragment.hpp"

namespace agent::bitrouter {
namespace {

using Value = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

std::string tooDeep(std::size_t levels) {
  return "responseSchema nests deeper than " + std::to_string(levels) + " levels";
}

// Visits `schema` and then every subschema under it, in schema positions only. visit(node,
// pointer) returns "" to go on or a problem that stops the walk.
template <class V, class Visit>
std::string walk(V& schema, std::string& pointer, std::size_t depth, Visit& visit) {
  if (depth > SchemaNormalizer::kMaxSchemaDepth) return tooDeep(SchemaNormalizer::kMaxSchemaDepth);
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

// Why RapidJSON's regex engine must not see `pattern`, or empty when it is safe. That engine
// recurses without bound on stacked quantifiers ("a**") and misbehaves on unbalanced groups, so
// such patterns are refused up front instead of crashing a call.
std::string unsafePatternReason(std::string_view pattern) {
  constexpr std::size_t kMaxLength = 256;
  constexpr std::size_t kMaxDepth = 16;
  if (pattern.size() > kMaxLength) return "is longer than 256 characters";
  // Per open group: whether something inside it is optional (*, ?, {0...). Repeating such a group
  // ("(a*)*", "(a?)+") sends the engine into endless recursion.
  std::vector<bool> groups;
  bool inClass = false;
  bool canRepeat = false;        // the previous token is something a quantifier may follow
  bool lastWasNullable = false;  // the previous token was a group that can match nothing
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;  // the escaped character is a literal (or a class like \d)
      canRepeat = true;
      lastWasNullable = false;
      continue;
    }
    if (inClass) {
      if (c == ']') inClass = false;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        canRepeat = true;
        lastWasNullable = false;
        break;
      case '(':
        groups.push_back(false);
        if (groups.size() > kMaxDepth) return "nests groups deeper than 16";
        canRepeat = false;
        break;
      case ')': {
        if (groups.empty()) return "has an unbalanced ')'";
        lastWasNullable = groups.back();
        groups.pop_back();
        if (lastWasNullable && !groups.empty()) groups.back() = true;
        canRepeat = true;
        break;
      }
      case '|':
        canRepeat = false;
        break;
      case '*':
      case '+':
      case '?':
      case '{': {
        if (!canRepeat) return "has a quantifier with nothing to repeat (such as a** or a*?)";
        if (lastWasNullable) return "repeats a group that can match nothing (such as (a*)*)";
        bool optional = c != '+';
        if (c == '{') {
          const std::size_t close = pattern.find('}', i);
          if (close == std::string_view::npos) return "has an unclosed '{'";
          optional = i + 1 < pattern.size() && pattern[i + 1] == '0';
          i = close;
        }
        if (optional && !groups.empty()) groups.back() = true;
        canRepeat = false;
        lastWasNullable = false;
        break;
      }
      default:
        canRepeat = true;
        lastWasNullable = false;
        break;
    }
  }
  if (inClass) return "has an unclosed '['";
  if (!groups.empty()) return "has an unclosed '('";
  return {};
}

std::string checkPatterns(const Value& node, const std::string& pointer) {
  const auto pattern = node.FindMember("pattern");
  if (pattern != node.MemberEnd() && pattern->value.IsString()) {
    const std::string reason = unsafePatternReason(
        std::string_view(pattern->value.GetString(), pattern->value.GetStringLength()));
    if (!reason.empty()) return "the pattern at " + pointer + "/pattern " + reason;
  }
  const auto properties = node.FindMember("patternProperties");
  if (properties != node.MemberEnd() && properties->value.IsObject()) {
    for (const auto& entry : properties->value.GetObject()) {
      const std::string reason = unsafePatternReason(
          std::string_view(entry.name.GetString(), entry.name.GetStringLength()));
      if (!reason.empty()) return "a patternProperties key at " + pointer + " " + reason;
    }
  }
  return {};
}

// The local JSON pointer a "$ref" member of `node` names, as RapidJSON reads it ("#..."), if any.
std::optional<rapidjson::Pointer> localReference(const Value& node) {
  const auto ref = node.FindMember("$ref");
  if (ref == node.MemberEnd() || !ref->value.IsString()) return std::nullopt;
  const std::string_view target(ref->value.GetString(), ref->value.GetStringLength());
  if (target.empty() || target.front() != '#') return std::nullopt;
  rapidjson::Pointer pointer(target.data(), target.size());
  if (!pointer.IsValid()) return std::nullopt;
  return pointer;
}

// RapidJSON follows a $ref whose target holds a $ref again by recursion, with no cycle check
// ({"$ref": "#"} overflows the stack), and reads every target as an object without checking.
// So each chain must reach, within kMaxReferenceHops, a target that is an object holding no
// further local $ref (an unresolved one is fine: RapidJSON treats it as "anything").
std::string checkReferenceChain(const Value& node, const Value& root, const std::string& pointer) {
  constexpr std::size_t kMaxReferenceHops = 32;
  const Value* current = &node;
  for (std::size_t hops = 0;; ++hops) {
    const std::optional<rapidjson::Pointer> reference = localReference(*current);
    if (!reference) return {};
    const Value* target = reference->Get(root);
    if (target == nullptr) return {};
    if (!target->IsObject()) {
      return "responseSchema $ref at '" + pointer + "' points to a value that is not a schema";
    }
    if (hops == kMaxReferenceHops) {
      return "responseSchema $ref at '" + pointer + "' starts a chain of more than " +
             std::to_string(kMaxReferenceHops) + " references that never reaches a schema " +
             "(a cycle?)";
    }
    current = target;
  }
}

// RapidJSON builds a schema from every object in the document, not only from schema positions
// ("x-extra": {...}, an object inside "enum"): it compiles each one's "pattern" and follows each
// one's "$ref", and a $ref can make any of them a schema. So every object is checked, whatever
// keyword it sits under.
std::string checkEveryObject(const Value& node, const Value& root, std::string& pointer,
                             std::size_t depth) {
  // JSON levels, not schema levels: a subschema sits two levels down ("properties", its name).
  constexpr std::size_t kMaxJsonDepth = 2 * SchemaNormalizer::kMaxSchemaDepth + 2;
  if (depth > kMaxJsonDepth) return tooDeep(kMaxJsonDepth);
  const std::size_t mark = pointer.size();
  if (node.IsObject()) {
    if (std::string problem = checkPatterns(node, pointer); !problem.empty()) return problem;
    if (std::string problem = checkReferenceChain(node, root, pointer); !problem.empty())
      return problem;
    for (const auto& member : node.GetObject()) {
      appendFragmentToken(pointer,
                          std::string_view(member.name.GetString(), member.name.GetStringLength()));
      std::string problem = checkEveryObject(member.value, root, pointer, depth + 1);
      pointer.resize(mark);
      if (!problem.empty()) return problem;
    }
  } else if (node.IsArray()) {
    for (rapidjson::SizeType i = 0; i < node.Size(); ++i) {
      appendFragmentToken(pointer, std::to_string(i));
      std::string problem = checkEveryObject(node[i], root, pointer, depth + 1);
      pointer.resize(mark);
      if (!problem.empty()) return problem;
    }
  }
  return {};
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
  if (std::string problem = walk(static_cast<Value&>(schema), pointer, 0, visit); !problem.empty())
    return problem;
  return checkEveryObject(schema, schema, pointer, 0);
}

std::string SchemaNormalizer::checkReferences(const rapidjson::Document& schema) {
  auto visit = [&schema](const Value& node, const std::string& pointer) -> std::string {
    if (!node.IsObject()) return {};
    const auto ref = node.FindMember("$ref");
    if (ref == node.MemberEnd()) return {};
    if (!ref->value.IsString())
      return "responseSchema has a $ref that is not a string at '" + pointer + "'";
    const std::string target(ref->value.GetString(), ref->value.GetStringLength());
    if (target.empty() || target.front() != '#') {
      return "responseSchema $ref '" + target + "' at '" + pointer +
             "' is not local; only '#/...' references are supported";
    }
    const rapidjson::Pointer resolved(target.c_str(), target.size());
    if (!resolved.IsValid() || resolved.Get(schema) == nullptr) {
      return "responseSchema $ref '" + target + "' at '" + pointer + "' does not resolve";
    }
    return {};
  };
  std::string pointer = "#";
  return walk(static_cast<const Value&>(schema), pointer, 0, visit);
}

}  // namespace agent::bitrouter
