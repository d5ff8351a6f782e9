#include "ToolsJson.hpp"

#include <set>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agent::host::cli {
namespace {

std::string jsonText(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Reads one tool from its function object; a problem text when it is not one.
Expected<ToolDefinition, std::string> readTool(const rapidjson::Value& function) {
  ToolDefinition tool;
  const auto name = function.FindMember("name");
  if (name == function.MemberEnd() || !name->value.IsString() ||
      name->value.GetStringLength() == 0) {
    return std::string("needs a \"name\" string");
  }
  tool.name.assign(name->value.GetString(), name->value.GetStringLength());
  if (const auto it = function.FindMember("description");
      it != function.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsString()) return std::string("\"description\" must be a string");
    tool.description.assign(it->value.GetString(), it->value.GetStringLength());
  }
  if (const auto it = function.FindMember("parameters");
      it != function.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsObject()) return std::string("\"parameters\" must be a JSON Schema object");
    tool.parameters = jsonText(it->value);
  }
  if (const auto it = function.FindMember("strict");
      it != function.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsBool()) return std::string("\"strict\" must be true or false");
    tool.strict = it->value.GetBool();
  }
  return tool;
}

}  // namespace

Expected<std::vector<ToolDefinition>, std::string> parseTools(std::string_view json) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (document.HasParseError()) {
    return std::string("not valid JSON: ") + rapidjson::GetParseError_En(document.GetParseError()) +
           " (at offset " + std::to_string(document.GetErrorOffset()) + ")";
  }
  if (!document.IsArray()) return std::string("expected a JSON array of tools");
  std::vector<ToolDefinition> tools;
  std::set<std::string> names;
  std::size_t index = 0;
  for (const auto& entry : document.GetArray()) {
    ++index;
    const std::string where = "tool " + std::to_string(index) + ": ";
    if (!entry.IsObject()) return where + "must be an object";
    // OpenAI style wraps the tool in "function"; the plain style is the tool itself.
    const auto function = entry.FindMember("function");
    const bool wrapped = function != entry.MemberEnd();
    if (wrapped && !function->value.IsObject()) return where + "\"function\" must be an object";
    auto tool = readTool(wrapped ? function->value : entry);
    if (!tool) return where + tool.error();
    auto& definition = tool.value();
    if (!names.insert(definition.name).second) {
      return where + "the name '" + definition.name + "' is used twice";
    }
    tools.push_back(std::move(definition));
  }
  return tools;
}

}  // namespace agent::host::cli
