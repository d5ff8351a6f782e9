#include "protocol/ArgumentCheck.hpp"

#include <rapidjson/document.h>

#include <cmath>

#include "agent/support/Text.hpp"

namespace agent::mcp {
namespace {

bool hasType(const rapidjson::Value& value, std::string_view type) {
  if (type == "object") return value.IsObject();
  if (type == "array") return value.IsArray();
  if (type == "string") return value.IsString();
  if (type == "boolean") return value.IsBool();
  if (type == "null") return value.IsNull();
  if (type == "number") return value.IsNumber();
  if (type == "integer") {
    if (value.IsInt64() || value.IsUint64()) return true;
    if (!value.IsDouble()) return false;
    const double number = value.GetDouble();
    return std::isfinite(number) && std::floor(number) == number;
  }
  return true;  // an unknown type name: not ours to judge
}

std::string typeOf(const rapidjson::Value& value) {
  if (value.IsObject()) return "an object";
  if (value.IsArray()) return "an array";
  if (value.IsString()) return "a string";
  if (value.IsBool()) return "a boolean";
  if (value.IsNull()) return "null";
  return "a number";
}

}  // namespace

std::optional<std::string> checkArguments(std::string_view arguments, std::string_view schema) {
  rapidjson::Document args;
  const std::string_view text = text::isBlank(arguments) ? std::string_view("{}") : arguments;
  args.Parse(text.data(), text.size());
  if (args.HasParseError()) return std::string("the arguments are not valid JSON");
  if (!args.IsObject()) return "the arguments must be a JSON object, not " + typeOf(args);
  rapidjson::Document tree;
  tree.Parse(schema.data(), schema.size());
  if (tree.HasParseError() || !tree.IsObject()) return std::nullopt;
  if (auto required = tree.FindMember("required");
      required != tree.MemberEnd() && required->value.IsArray()) {
    for (const auto& name : required->value.GetArray()) {
      if (name.IsString() && !args.HasMember(name))
        return "the argument '" + std::string(name.GetString(), name.GetStringLength()) +
               "' is required";
    }
  }
  auto properties = tree.FindMember("properties");
  if (properties == tree.MemberEnd() || !properties->value.IsObject()) return std::nullopt;
  for (const auto& member : args.GetObject()) {
    auto property = properties->value.FindMember(member.name);
    if (property == properties->value.MemberEnd() || !property->value.IsObject()) continue;
    auto type = property->value.FindMember("type");
    if (type == property->value.MemberEnd() || !type->value.IsString()) continue;
    const std::string_view expected(type->value.GetString(), type->value.GetStringLength());
    if (!hasType(member.value, expected)) {
      return "the argument '" + std::string(member.name.GetString()) + "' must be " +
             std::string(expected) + ", not " + typeOf(member.value);
    }
  }
  return std::nullopt;
}

}  // namespace agent::mcp
