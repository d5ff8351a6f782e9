#include "schema/SchemaSafety.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <rapidjson/internal/regex.h>
#include <rapidjson/pointer.h>

#include "agent/support/Utf8.hpp"
#include "schema/MetaSchema.hpp"
#include "schema/PointerFragment.hpp"
#include "schema/SchemaLimits.hpp"
#include "schema/SchemaWalk.hpp"

namespace agent::bitrouter {
namespace {

using Value = rapidjson::Value;

// A counted quantifier as RapidJSON's regex compiler reads it, from the '{': the digits of n,
// then ",}" or ",m" or nothing, and only then the closing '}'. It copies the operand as soon as
// it has n and m, before it looks for the '}', so "a{99999]" costs 99999 copies and only then
// fails: the cost is decided by what it reads, not by where the next '}' is.
struct CountedQuantifier {
  std::size_t copies = 0;  // how many times the operand ends up in the compiled pattern
  bool optional = false;   // n is 0: the whole may match nothing
  bool closed = false;     // a '}' follows, so the compiler goes on reading after it
  std::size_t end = 0;     // the index of that '}' (or of the character that stopped it)
};

// Digits from `i` on, saturating far above any count the state limit lets through; empty when
// there is no digit (the compiler then stops without copying anything).
std::optional<std::size_t> readCount(std::string_view pattern, std::size_t& i) {
  if (i >= pattern.size() || pattern[i] < '0' || pattern[i] > '9') return std::nullopt;
  std::size_t value = 0;
  for (; i < pattern.size() && pattern[i] >= '0' && pattern[i] <= '9'; ++i) {
    value =
        std::min<std::size_t>(value * 10 + static_cast<std::size_t>(pattern[i] - '0'), 1u << 30);
  }
  return value;
}

// Empty when the compiler stops before copying anything (no digits, m below n, or {0}).
std::optional<CountedQuantifier> readCountedQuantifier(std::string_view pattern, std::size_t open) {
  std::size_t i = open + 1;
  const std::optional<std::size_t> min = readCount(pattern, i);
  if (!min) return std::nullopt;
  std::optional<std::size_t> max = min;  // empty: unbounded
  if (i < pattern.size() && pattern[i] == ',') {
    ++i;
    if (i < pattern.size() && pattern[i] == '}') {
      max.reset();
    } else {
      max = readCount(pattern, i);
      if (!max || *max < *min) return std::nullopt;
    }
  }
  if (max == 0) return std::nullopt;  // {0} and {0,0}
  // {n,} is n copies with the last repeated; {0,} is a star; {n,m} is m copies, the last m-n
  // optional.
  const std::size_t copies = max ? *max : std::max<std::size_t>(*min, 1);
  return CountedQuantifier{copies, *min == 0, i < pattern.size() && pattern[i] == '}', i};
}

// Why RapidJSON's regex engine must not see `pattern`, or empty when it is safe. That engine
// recurses without bound on stacked quantifiers ("a**"), misbehaves on unbalanced groups, and
// copies a counted group once per count while compiling ("((a{1000}){1000}){1000}" takes 15 GB
// and a minute), so such patterns are refused up front instead of crashing a call.
std::string unsafePatternReason(std::string_view pattern) {
  constexpr std::size_t kMaxLength = 1024;  // translated (EcmaPattern): \s alone is 40 bytes
  constexpr std::size_t kMaxDepth = 16;
  constexpr std::size_t kMaxStates = 10000;
  if (pattern.size() > kMaxLength) return "is longer than 1024 bytes once translated";
  // The engine stops reading at a NUL or at bytes that do not decode, and then trips on the
  // groups it leaves open (an assertion).
  if (pattern.find('\0') != std::string_view::npos) return "contains a NUL character";
  if (!text::isValidUtf8(pattern)) return "is not valid UTF-8";
  // Per open group: whether something inside it is optional (*, ?, {0...), since repeating such a
  // group ("(a*)*", "(a?)+") sends the engine into endless recursion; and its size in states once
  // counted repetitions are copied out. Index 0 is the whole pattern.
  struct Group {
    bool nullable = false;
    std::size_t states = 0;
    bool branchHasAtom = false;  // the current alternative matches something: "()" or "a|" do not
    bool alternates = false;     // a '|' was seen
  };
  std::vector<Group> groups(1);
  bool inClass = false;
  bool canRepeat = false;        // the previous token is something a quantifier may follow
  bool lastWasNullable = false;  // the previous token was a group that can match nothing
  std::size_t lastStates = 0;    // the states of the previous token
  auto atom = [&](std::size_t states) {
    groups.back().states += states;
    groups.back().branchHasAtom = true;
    lastStates = states;
    canRepeat = true;
    lastWasNullable = false;
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;  // the escaped character is a literal (or a class like \d)
      atom(1);
      continue;
    }
    if (inClass) {
      if (c == ']') inClass = false;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        atom(1);
        break;
      case '(':
        groups.push_back(Group{});
        if (groups.size() > kMaxDepth + 1) return "nests groups deeper than 16";
        canRepeat = false;
        break;
      case ')': {
        if (groups.size() == 1) return "has an unbalanced ')'";
        // The engine pushes nothing for an empty group or alternative, then asserts on it.
        if (!groups.back().branchHasAtom) return "has an empty group or alternative (such as ())";
        const Group closed = groups.back();
        groups.pop_back();
        groups.back().nullable = groups.back().nullable || closed.nullable;
        atom(closed.states + 1);
        lastWasNullable = closed.nullable;
        break;
      }
      case '|':
        if (!groups.back().branchHasAtom) return "has an empty alternative (such as |a or a||b)";
        groups.back().branchHasAtom = false;
        groups.back().alternates = true;
        groups.back().states += 1;  // the split between the alternatives
        canRepeat = false;
        break;
      case '^':
      case '$':
        // Anchors are not operands: the engine asserts on "^{3}" instead of rejecting it.
        canRepeat = false;
        lastWasNullable = false;
        break;
      case '*':
      case '+':
      case '?':
      case '{': {
        if (!canRepeat) return "has a quantifier with nothing to repeat (such as a** or a*?)";
        if (lastWasNullable) return "repeats a group that can match nothing (such as (a*)*)";
        CountedQuantifier quantifier{1, c != '+', true, i};
        if (c == '{') {
          const std::optional<CountedQuantifier> counted = readCountedQuantifier(pattern, i);
          if (!counted) return {};  // the compiler stops here, having copied nothing
          quantifier = *counted;
          i = quantifier.end;
        }
        if (quantifier.optional && groups.size() > 1) groups.back().nullable = true;
        // The operand is copied, and each copy may bring a state of its own (the branch of a
        // '?', '*' or '+'): counted generously, so the estimate never falls short (saturating).
        const std::size_t perCopy = lastStates + 1;
        const std::size_t grown =
            perCopy > kMaxStates / quantifier.copies ? kMaxStates + 1 : perCopy * quantifier.copies;
        groups.back().states += grown - lastStates;
        if (groups.back().states > kMaxStates) {
          return "repeats counted groups into more than 10000 states (such as (a{100}){100})";
        }
        if (!quantifier.closed) return {};  // the compiler stops after copying
        canRepeat = false;
        lastWasNullable = false;
        break;
      }
      default:
        atom(1);
        break;
    }
  }
  if (inClass) return "has an unclosed '['";
  if (groups.size() > 1) return "has an unclosed '('";
  if (groups[0].alternates && !groups[0].branchHasAtom) return "has an empty alternative (a|)";
  return {};
}

// Why a pattern of a schema (one the validator applies) cannot be used, or empty. What the engine
// cannot parse it drops, and the keyword would go unchecked. Outside schemas (under an x- key)
// only the crash guards matter: RapidJSON compiles the pattern but never runs it.
std::string patternProblem(std::string_view pattern, bool inSchema) {
  std::string reason = unsafePatternReason(pattern);
  if (!reason.empty() || !inSchema) return reason;
  const std::string terminated(pattern);
  if (!rapidjson::internal::Regex(terminated.c_str()).IsValid()) {
    return "is not supported by the validator's regular expression engine";
  }
  return {};
}

std::string checkPatterns(const Value& node, const std::string& pointer, bool inSchema) {
  const auto pattern = node.FindMember("pattern");
  if (pattern != node.MemberEnd() && pattern->value.IsString()) {
    const std::string reason = patternProblem(
        std::string_view(pattern->value.GetString(), pattern->value.GetStringLength()), inSchema);
    if (!reason.empty()) return "the pattern at " + pointer + "/pattern " + reason;
  }
  const auto properties = node.FindMember("patternProperties");
  if (properties != node.MemberEnd() && properties->value.IsObject()) {
    for (const auto& entry : properties->value.GetObject()) {
      const std::string reason = patternProblem(
          std::string_view(entry.name.GetString(), entry.name.GetStringLength()), inSchema);
      if (!reason.empty()) return "a patternProperties key at " + pointer + " " + reason;
    }
  }
  return {};
}

// The local JSON pointer a "$ref" member of `node` names, read as RapidJSON reads it: a string
// starting with '#' that parses as a pointer. Anything else RapidJSON ignores (remote) or treats
// as no reference at all.
std::optional<rapidjson::Pointer> localReference(const Value& node) {
  const auto ref = node.FindMember("$ref");
  if (ref == node.MemberEnd() || !ref->value.IsString()) return std::nullopt;
  const std::string_view target(ref->value.GetString(), ref->value.GetStringLength());
  if (target.empty() || target.front() != '#') return std::nullopt;
  rapidjson::Pointer pointer(target.data(), target.size());
  if (!pointer.IsValid()) return std::nullopt;
  return pointer;
}

// The schemas RapidJSON's validator applies to the same value as `node`, entering each by
// recursion without consuming any of the reply. An object with a local $ref is the target alone
// (RapidJSON ignores the keywords beside it); an unresolved one accepts anything.
std::vector<const Value*> sameValueSchemas(const Value& node, const Value& root) {
  std::vector<const Value*> schemas;
  if (const std::optional<rapidjson::Pointer> reference = localReference(node)) {
    const Value* target = reference->Get(root);
    if (target != nullptr && target->IsObject()) schemas.push_back(target);
    return schemas;
  }
  for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
    const auto list = node.FindMember(keyword);
    if (list == node.MemberEnd() || !list->value.IsArray()) continue;
    for (const Value& item : list->value.GetArray()) {
      if (item.IsObject()) schemas.push_back(&item);
    }
  }
  const auto negated = node.FindMember("not");
  if (negated != node.MemberEnd() && negated->value.IsObject()) schemas.push_back(&negated->value);
  const auto dependencies = node.FindMember("dependencies");
  if (dependencies != node.MemberEnd() && dependencies->value.IsObject()) {
    for (const auto& entry : dependencies->value.GetObject()) {
      if (entry.value.IsObject()) schemas.push_back(&entry.value);
    }
  }
  return schemas;
}

// Walks every object of the document once, with its pointer, and explores the graph of
// same-value schemas from each, remembering what it learnt about every node.
class Checker {
 public:
  explicit Checker(const Value& root) : root_(root) {
    auto collect = [this](const Value& node, const std::string&) -> std::string {
      schemas_.insert(&node);
      return {};
    };
    walkSchema(root, collect);
  }

  std::string checkTree(const Value& node, std::string& pointer, std::size_t depth) {
    // Rewrites can deepen a schema past the depth of its text.
    if (depth > kMaxSchemaNesting) {
      return "responseSchema nests deeper than " + std::to_string(kMaxSchemaNesting) + " levels";
    }
    const std::size_t mark = pointer.size();
    if (node.IsObject()) {
      if (std::string problem = checkObject(node, pointer); !problem.empty()) return problem;
      for (const auto& member : node.GetObject()) {
        appendFragmentToken(
            pointer, std::string_view(member.name.GetString(), member.name.GetStringLength()));
        std::string problem = checkTree(member.value, pointer, depth + 1);
        pointer.resize(mark);
        if (!problem.empty()) return problem;
      }
    } else if (node.IsArray()) {
      for (rapidjson::SizeType i = 0; i < node.Size(); ++i) {
        appendFragmentToken(pointer, std::to_string(i));
        std::string problem = checkTree(node[i], pointer, depth + 1);
        pointer.resize(mark);
        if (!problem.empty()) return problem;
      }
    }
    return {};
  }

 private:
  // What the validator stacks on one value from a node: the longest chain of same-value schemas
  // (the node included) and how many validators it creates in all (the chain unfolded as a tree:
  // RapidJSON shares nothing between two paths to the same definition).
  struct Load {
    std::size_t depth = 0;
    std::size_t schemas = 0;
  };
  enum class Verdict { Fine, Cycle, TooDeep, TooMany };

  std::string checkObject(const Value& node, const std::string& pointer) {
    // RapidJSON reads patternProperties as an object without checking, while building.
    const auto patternProperties = node.FindMember("patternProperties");
    if (patternProperties != node.MemberEnd() && !patternProperties->value.IsObject()) {
      return "responseSchema has a patternProperties that is not an object at '" + pointer + "'";
    }
    if (std::string problem = checkPatterns(node, pointer, schemas_.count(&node) != 0);
        !problem.empty()) {
      return problem;
    }
    if (const std::optional<rapidjson::Pointer> reference = localReference(node)) {
      if (std::string problem = checkTarget(*reference, pointer); !problem.empty()) return problem;
    }
    Load load;
    switch (explore(node, 1, load)) {
      case Verdict::Fine:
        return {};
      case Verdict::Cycle:
        return "responseSchema at '" + pointer +
               "' leads back to itself without descending into the value (through $ref, allOf, "
               "anyOf, oneOf, not or dependencies): validation would never end";
      case Verdict::TooDeep:
        return "responseSchema at '" + pointer + "' stacks more than " +
               std::to_string(kMaxSchemaNesting) +
               " schemas on one value (through $ref, allOf, anyOf, oneOf, not or dependencies)";
      case Verdict::TooMany:
        return "responseSchema at '" + pointer + "' applies more than " +
               std::to_string(SchemaSafety::kMaxSameValueSchemas) +
               " schemas to one value (anyOf/allOf/oneOf over shared definitions multiply)";
    }
    return {};
  }

  // A $ref's target is read as an object, and the schema RapidJSON builds from it is used as it
  // is: one outside the schema positions MetaSchema checked must pass the same check.
  std::string checkTarget(const rapidjson::Pointer& reference, const std::string& pointer) {
    const Value* target = reference.Get(root_);
    if (target == nullptr) return {};
    if (!target->IsObject()) {
      return "responseSchema $ref at '" + pointer + "' points to a value that is not a schema";
    }
    if (!checkedTargets_.insert(target).second) return {};
    return metaSchemaProblem(*target, pointerFragment(reference));
  }

  // Depth-first over same-value edges; `depth` counts the nodes on the current path.
  Verdict explore(const Value& node, std::size_t depth, Load& load) {
    if (depth > kMaxSchemaNesting) return Verdict::TooDeep;
    const auto known = loads_.find(&node);
    if (known != loads_.end()) {
      if (known->second.depth == kOnPath) return Verdict::Cycle;
      load = known->second;
      return depth - 1 + load.depth > kMaxSchemaNesting ? Verdict::TooDeep : Verdict::Fine;
    }
    loads_[&node] = Load{kOnPath, 0};
    Load total{1, 1};
    for (const Value* next : sameValueSchemas(node, root_)) {
      Load below;
      if (const Verdict verdict = explore(*next, depth + 1, below); verdict != Verdict::Fine) {
        return verdict;
      }
      total.depth = std::max(total.depth, below.depth + 1);
      total.schemas += below.schemas;
      if (total.schemas > SchemaSafety::kMaxSameValueSchemas) return Verdict::TooMany;
    }
    loads_[&node] = total;
    load = total;
    return Verdict::Fine;
  }

  static constexpr std::size_t kOnPath = std::numeric_limits<std::size_t>::max();

  const Value& root_;
  std::unordered_set<const Value*> schemas_;  // the schema positions, which the validator applies
  std::unordered_map<const Value*, Load> loads_;
  std::unordered_set<const Value*> checkedTargets_;
};

}  // namespace

std::string SchemaSafety::check(const rapidjson::Document& schema) {
  Checker checker(schema);
  std::string pointer = "#";
  return checker.checkTree(schema, pointer, 0);
}

}  // namespace agent::bitrouter
