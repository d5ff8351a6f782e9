#include "schema/StrictSchema.hpp"

#include <string_view>

#include "errors/TextExcerpt.hpp"
#include "schema/SchemaWalk.hpp"

namespace agent::bitrouter {
namespace {

using Value = rapidjson::Value;

bool describesObjects(const Value& node) {
  if (node.HasMember("properties")) return true;
  const auto type = node.FindMember("type");
  if (type == node.MemberEnd()) return false;
  if (type->value.IsString()) return std::string_view(type->value.GetString()) == "object";
  if (!type->value.IsArray()) return false;
  for (const Value& name : type->value.GetArray()) {
    if (name.IsString() && std::string_view(name.GetString()) == "object") return true;
  }
  return false;
}

bool isRequired(const Value& node, const Value& name) {
  const auto required = node.FindMember("required");
  if (required == node.MemberEnd() || !required->value.IsArray()) return false;
  for (const Value& listed : required->value.GetArray()) {
    if (listed == name) return true;
  }
  return false;
}

std::string broken(const std::string& pointer, const std::string& rule) {
  return "responseSchema cannot be sent strictly (BITROUTER_STRUCTURED_OUTPUTS is on): the object "
         "schema at '" +
         pointer + "' " + rule;
}

}  // namespace

std::string strictModeProblem(const rapidjson::Value& schema) {
  auto visit = [](const Value& node, const std::string& pointer) -> std::string {
    if (!node.IsObject() || !describesObjects(node)) return {};
    const auto additional = node.FindMember("additionalProperties");
    if (additional == node.MemberEnd() || !additional->value.IsFalse()) {
      return broken(pointer, "needs \"additionalProperties\": false");
    }
    const auto properties = node.FindMember("properties");
    if (properties == node.MemberEnd() || !properties->value.IsObject()) return {};
    for (const auto& entry : properties->value.GetObject()) {
      if (!isRequired(node, entry.name)) {
        // The name is the caller's text: an excerpt keeps the message one printable line.
        return broken(pointer, "must list every property in required (missing '" +
                                   textExcerpt(std::string_view(entry.name.GetString(),
                                                                entry.name.GetStringLength()),
                                               80) +
                                   "')");
      }
    }
    return {};
  };
  return walkSchema(schema, visit);
}

}  // namespace agent::bitrouter
