#include "schema/JsonText.hpp"

#include <algorithm>
#include <vector>

#include <rapidjson/error/en.h>

#include "schema/PointerFragment.hpp"

namespace agent::bitrouter {
namespace {

// Depth-first; the caller measured the nesting before parsing, so the recursion is bounded.
std::string findRepeatedName(const rapidjson::Value& value, std::string& pointer) {
  const std::size_t mark = pointer.size();
  if (value.IsObject()) {
    std::vector<std::string_view> names;
    names.reserve(value.MemberCount());
    for (const auto& member : value.GetObject()) {
      names.emplace_back(member.name.GetString(), member.name.GetStringLength());
    }
    std::sort(names.begin(), names.end());
    if (const auto twice = std::adjacent_find(names.begin(), names.end()); twice != names.end()) {
      appendFragmentToken(pointer, *twice);
      return pointer;
    }
    for (const auto& member : value.GetObject()) {
      appendFragmentToken(pointer,
                          std::string_view(member.name.GetString(), member.name.GetStringLength()));
      if (std::string found = findRepeatedName(member.value, pointer); !found.empty()) return found;
      pointer.resize(mark);
    }
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      appendFragmentToken(pointer, std::to_string(i));
      if (std::string found = findRepeatedName(value[i], pointer); !found.empty()) return found;
      pointer.resize(mark);
    }
  }
  return {};
}

}  // namespace

std::size_t jsonNestingDepth(std::string_view json) noexcept {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool inString = false;
  bool escaped = false;
  for (const char c : json) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string parseProblem(std::string_view subject, const rapidjson::ParseResult& result,
                         bool numberTooBig) {
  const std::string offset = " at offset " + std::to_string(result.Offset());
  if (numberTooBig) return std::string(subject) + " has a number too large for a double" + offset;
  if (!result.IsError()) return {};
  return std::string(subject) + " is not valid JSON (" +
         rapidjson::GetParseError_En(result.Code()) + offset + ")";
}

std::string repeatedNameProblem(std::string_view subject, const rapidjson::Value& value) {
  std::string pointer = "#";
  const std::string found = findRepeatedName(value, pointer);
  if (found.empty()) return {};
  return std::string(subject) + " has the name at '" + found +
         "' twice in one object; JSON Schema reads each name once, so keep one";
}

}  // namespace agent::bitrouter
