#include "schema/SchemaNormalizer.hpp"

#include <string_view>
#include <vector>

#include <rapidjson/pointer.h>

#include "errors/TextExcerpt.hpp"
#include "schema/EcmaPattern.hpp"
#include "schema/SchemaWalk.hpp"

namespace agent::bitrouter {
namespace {

using Value = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

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

Value object() {
  return Value(rapidjson::kObjectType);
}

// The node's allOf list, created when missing; nullptr when it is not a list (the meta-schema
// check refuses that later).
Value* allOfOf(Value& schema, Allocator& allocator) {
  auto list = schema.FindMember("allOf");
  if (list == schema.MemberEnd()) {
    schema.AddMember("allOf", Value(rapidjson::kArrayType), allocator);
    list = schema.FindMember("allOf");
  }
  return list->value.IsArray() ? &list->value : nullptr;
}

void addToAllOf(Value& schema, Value&& entry, Allocator& allocator) {
  if (Value* list = allOfOf(schema, allocator)) list->PushBack(entry, allocator);
}

Value single(const char* keyword, Value&& value, Allocator& allocator) {
  Value wrapped = object();
  wrapped.AddMember(rapidjson::StringRef(keyword), value, allocator);
  return wrapped;
}

bool isTrivial(const Value& schema) {
  return (schema.IsBool() && schema.GetBool()) || (schema.IsObject() && schema.ObjectEmpty());
}

// Values in `value`, counted without recursion.
std::size_t valueCount(const Value& value) {
  std::size_t count = 0;
  std::vector<const Value*> pending{&value};
  while (!pending.empty()) {
    const Value* next = pending.back();
    pending.pop_back();
    ++count;
    if (next->IsObject()) {
      for (const auto& member : next->GetObject())
        pending.push_back(&member.value);
    } else if (next->IsArray()) {
      for (const auto& item : next->GetArray())
        pending.push_back(&item);
    }
  }
  return count;
}

// The draft-06+ keywords draft-04 can express, rewritten in place; one node at a time.
class Rewriter {
 public:
  explicit Rewriter(Allocator& allocator) : allocator_(allocator) {}

  std::string rewrite(Value& node, const std::string& pointer) {
    if (node.IsBool()) {
      const bool accept = node.GetBool();
      node.SetObject();
      if (!accept) node.AddMember("not", object(), allocator_);
      return {};
    }
    if (!node.IsObject()) return {};
    renameDefs(node, allocator_);
    constToEnum(node, allocator_);
    node.RemoveMember("format");
    exclusiveBound(node, "exclusiveMinimum", "minimum", true, allocator_);
    exclusiveBound(node, "exclusiveMaximum", "maximum", false, allocator_);
    rewriteRef(node, allocator_);
    integerType(node);
    contains(node);
    if (std::string problem = ifThenElse(node); !problem.empty()) return problem;
    prefixItems(node);
    dependents(node, "dependentRequired");
    dependents(node, "dependentSchemas");
    propertyNames(node);
    patternsWithAdditional(node);
    return translatePatterns(node, pointer);
  }

 private:
  // "integer" -> "number" with multipleOf: 1. Drafts 6+ count any number with a zero fraction
  // as an integer, 1e52 included; RapidJSON's integer type accepts only what fits 64 bits.
  void integerType(Value& node) {
    auto type = node.FindMember("type");
    if (type == node.MemberEnd()) return;
    const auto named = [](const Value& name, const char* what) {
      return name.IsString() && std::string_view(name.GetString()) == what;
    };
    bool integer = false;
    bool number = false;
    if (type->value.IsArray()) {
      for (Value& name : type->value.GetArray()) {
        integer = integer || named(name, "integer");
        number = number || named(name, "number");
      }
      if (!integer || number) return;
      for (Value& name : type->value.GetArray()) {
        if (named(name, "integer")) name.SetString("number", allocator_);
      }
    } else if (named(type->value, "integer")) {
      type->value.SetString("number", allocator_);
    } else {
      return;
    }
    // multipleOf only constrains numbers, so other types in the list are unaffected.
    const auto multiple = node.FindMember("multipleOf");
    if (multiple == node.MemberEnd()) {
      node.AddMember("multipleOf", 1u, allocator_);
    } else if (!multiple->value.IsUint64() && !multiple->value.IsInt64()) {
      addToAllOf(node, single("multipleOf", Value(1u), allocator_), allocator_);
    }
  }

  // contains: X -> not: {type: array, items: {not: X}}: an array none of whose items matches X
  // is what must fail; the type keeps non-arrays valid, as contains ignores them.
  void contains(Value& node) {
    if (!node.HasMember("contains")) return;
    Value guard = object();
    guard.AddMember("type", "array", allocator_);
    guard.AddMember("items", single("not", takeMember(node, "contains"), allocator_), allocator_);
    addToAllOf(node, single("not", std::move(guard), allocator_), allocator_);
  }

  // if/then/else -> anyOf: [{allOf: [if, then]}, {allOf: [{not: if}, else]}]; a missing then or
  // else accepts. "if" is copied, so nested ifs double the schema each level: bounded.
  std::string ifThenElse(Value& node) {
    if (!node.HasMember("if")) {
      node.RemoveMember("then");  // without "if" they mean nothing
      node.RemoveMember("else");
      return {};
    }
    Value condition = takeMember(node, "if");
    Value then = node.HasMember("then") ? takeMember(node, "then") : object();
    Value otherwise = node.HasMember("else") ? takeMember(node, "else") : object();
    copiedValues_ += valueCount(condition);
    if (copiedValues_ > kMaxCopiedValues) {
      return "responseSchema nests if/then/else so deeply that its draft-04 form would hold "
             "more than " +
             std::to_string(kMaxCopiedValues) + " values";
    }
    Value negated(condition, allocator_);
    Value whenTrue(rapidjson::kArrayType);
    whenTrue.PushBack(condition, allocator_).PushBack(then, allocator_);
    Value whenFalse(rapidjson::kArrayType);
    whenFalse.PushBack(single("not", std::move(negated), allocator_), allocator_)
        .PushBack(otherwise, allocator_);
    Value branches(rapidjson::kArrayType);
    branches.PushBack(single("allOf", std::move(whenTrue), allocator_), allocator_)
        .PushBack(single("allOf", std::move(whenFalse), allocator_), allocator_);
    addToAllOf(node, single("anyOf", std::move(branches), allocator_), allocator_);
    return {};
  }

  // 2020-12 prefixItems: [A, B] with items: X -> draft-04 items: [A, B], additionalItems: X.
  void prefixItems(Value& node) {
    if (!node.HasMember("prefixItems")) return;
    Value prefix = takeMember(node, "prefixItems");
    if (node.HasMember("items")) {
      Value rest = takeMember(node, "items");
      node.RemoveMember("additionalItems");
      node.AddMember("additionalItems", rest, allocator_);
    }
    node.AddMember("items", prefix, allocator_);
  }

  // dependentRequired / dependentSchemas -> dependencies; a name in both gets an allOf of the two
  // (a list of names becoming {required: [...]}).
  void dependents(Value& node, const char* keyword) {
    if (!node.HasMember(keyword)) return;
    Value added = takeMember(node, keyword);
    if (!added.IsObject()) return;
    auto existing = node.FindMember("dependencies");
    if (existing == node.MemberEnd()) {
      node.AddMember("dependencies", added, allocator_);
      return;
    }
    if (!existing->value.IsObject()) return;
    Value& dependencies = existing->value;
    auto asSchema = [this](Value& dependency) -> Value {
      if (dependency.IsArray()) return single("required", std::move(dependency), allocator_);
      return std::move(dependency);
    };
    for (auto& entry : added.GetObject()) {
      auto clash = dependencies.FindMember(entry.name);
      if (clash == dependencies.MemberEnd()) {
        dependencies.AddMember(Value(entry.name, allocator_), entry.value, allocator_);
        continue;
      }
      Value both(rapidjson::kArrayType);
      both.PushBack(asSchema(clash->value), allocator_).PushBack(asSchema(entry.value), allocator_);
      clash->value = single("allOf", std::move(both), allocator_);
    }
  }

  // propertyNames (KeywordPolicy allowed only these forms): false -> no properties; pattern p ->
  // every name matches p; maxLength n -> every name matches ^.{0,n}$. Each as its own allOf entry
  // of patternProperties plus additionalProperties: false, so the node's own are untouched.
  void propertyNames(Value& node) {
    if (!node.HasMember("propertyNames")) return;
    Value names = takeMember(node, "propertyNames");
    auto onlyNamesMatching = [this, &node](std::string pattern) {
      Value patterns = object();
      patterns.AddMember(
          Value(pattern.data(), static_cast<rapidjson::SizeType>(pattern.size()), allocator_),
          object(), allocator_);
      Value entry = single("patternProperties", std::move(patterns), allocator_);
      entry.AddMember("additionalProperties", false, allocator_);
      addToAllOf(node, std::move(entry), allocator_);
    };
    if (names.IsBool()) {
      if (!names.GetBool()) {
        addToAllOf(node, single("maxProperties", Value(0u), allocator_), allocator_);
      }
      return;
    }
    if (!names.IsObject()) return;
    const auto pattern = names.FindMember("pattern");
    if (pattern != names.MemberEnd() && pattern->value.IsString()) {
      onlyNamesMatching(std::string(pattern->value.GetString(), pattern->value.GetStringLength()));
    }
    const auto maxLength = names.FindMember("maxLength");
    if (maxLength != names.MemberEnd() && maxLength->value.IsUint()) {
      const unsigned length = maxLength->value.GetUint();
      // Any character but NUL, already in RapidJSON's dialect (ECMA's dot stops at newlines).
      onlyNamesMatching("^[\x01-\xF4\x8F\xBF\xBF]{0," + std::to_string(length) + "}$");
    }
  }

  // RapidJSON 1.1 gets patternProperties wrong beside additionalProperties. For a name that
  // matches a pattern but is not in properties, additionalProperties: false leaves the value
  // without a schema (a null dereference: the crash with {"^á":{}} and {"ármányos":2}), and an
  // additionalProperties schema is accepted in place of a failing pattern schema. So false
  // becomes {"not": {}}, and an additionalProperties beside non-trivial pattern schemas moves to
  // an allOf entry whose pattern schemas are all {} (where RapidJSON's rule is right).
  void patternsWithAdditional(Value& node) {
    const auto patterns = node.FindMember("patternProperties");
    if (patterns == node.MemberEnd() || !patterns->value.IsObject() ||
        patterns->value.ObjectEmpty()) {
      return;
    }
    auto additional = node.FindMember("additionalProperties");
    if (additional == node.MemberEnd() || isTrivial(additional->value)) return;
    if (additional->value.IsBool()) additional->value = single("not", object(), allocator_);
    bool trivialPatterns = true;
    for (const auto& entry : patterns->value.GetObject()) {
      trivialPatterns = trivialPatterns && isTrivial(entry.value);
    }
    if (trivialPatterns) return;

    Value namesOnly = object();
    for (const auto& entry : patterns->value.GetObject()) {
      namesOnly.AddMember(Value(entry.name, allocator_), object(), allocator_);
    }
    Value branch = single("patternProperties", std::move(namesOnly), allocator_);
    const auto properties = node.FindMember("properties");
    if (properties != node.MemberEnd() && properties->value.IsObject()) {
      Value names = object();
      for (const auto& entry : properties->value.GetObject()) {
        names.AddMember(Value(entry.name, allocator_), object(), allocator_);
      }
      branch.AddMember("properties", names, allocator_);
    }
    branch.AddMember("additionalProperties", takeMember(node, "additionalProperties"), allocator_);
    addToAllOf(node, std::move(branch), allocator_);
  }

  // Last, so that patterns copied into new allOf entries are translated once, at their visit.
  std::string translatePatterns(Value& node, const std::string& pointer) {
    auto pattern = node.FindMember("pattern");
    if (pattern != node.MemberEnd() && pattern->value.IsString()) {
      TranslatedPattern translated = translateEcmaPattern(
          std::string_view(pattern->value.GetString(), pattern->value.GetStringLength()));
      if (!translated.problem.empty()) {
        return "the pattern at " + pointer + "/pattern " + translated.problem;
      }
      pattern->value.SetString(translated.pattern.data(),
                               static_cast<rapidjson::SizeType>(translated.pattern.size()),
                               allocator_);
    }
    auto patterns = node.FindMember("patternProperties");
    if (patterns == node.MemberEnd() || !patterns->value.IsObject()) return {};
    Value renamed = object();
    for (auto& entry : patterns->value.GetObject()) {
      TranslatedPattern translated = translateEcmaPattern(
          std::string_view(entry.name.GetString(), entry.name.GetStringLength()));
      if (!translated.problem.empty()) {
        return "a patternProperties key at " + pointer + " " + translated.problem;
      }
      renamed.AddMember(
          Value(translated.pattern.data(),
                static_cast<rapidjson::SizeType>(translated.pattern.size()), allocator_),
          entry.value, allocator_);
    }
    patterns->value = std::move(renamed);
    return {};
  }

  static constexpr std::size_t kMaxCopiedValues = 100000;

  Allocator& allocator_;
  std::size_t copiedValues_ = 0;
};

}  // namespace

std::string SchemaNormalizer::normalize(rapidjson::Value& schema, Allocator& allocator) {
  Rewriter rewriter{allocator};
  auto visit = [&rewriter](Value& node, const std::string& pointer) {
    return rewriter.rewrite(node, pointer);
  };
  return walkSchema(schema, visit);
}

std::string SchemaNormalizer::checkReferences(const rapidjson::Value& schema) {
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
  return walkSchema(schema, visit);
}

}  // namespace agent::bitrouter
