#include "chat/ToolsJson.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "agent/support/Text.hpp"
#include "agent/support/Utf8.hpp"

namespace agent::bitrouter {
namespace {

// Checked here, not by the Writer (kWriteValidateEncodingFlag is several times slower). Invalid
// text is written as "" so the document stays well formed; the caller discards it.
bool writeString(BodyWriter& writer, std::string_view text) {
  if (!text::isValidUtf8(text)) {
    writer.String("");
    return false;
  }
  return writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string toolWhere(std::size_t i) {
  return "tools[" + std::to_string(i) + "]";
}

std::optional<std::string> checkTools(const GenerateTextParams& params) {
  for (std::size_t i = 0; i < params.tools.size(); ++i) {
    const ToolDefinition& tool = params.tools[i];
    if (text::isBlank(tool.name)) return toolWhere(i) + " has no name";
    if (!tool.parameters.empty() && !ToolsJson::isJsonObjectText(tool.parameters)) {
      return toolWhere(i) + " ('" + tool.name + "') parameters are not a JSON object";
    }
  }
  if (!params.tools.empty() && params.toolChoice &&
      params.toolChoice->mode == ToolChoice::Mode::Named) {
    const std::string& name = params.toolChoice->name;
    if (text::isBlank(name)) return std::string("toolChoice names no tool");
    bool known = false;
    for (const ToolDefinition& tool : params.tools)
      known |= tool.name == name;
    if (!known) return "toolChoice names '" + name + "', which is not among the call's tools";
  }
  return std::nullopt;
}

std::optional<std::string> checkHistory(const GenerateTextParams& params) {
  for (std::size_t i = 0; i < params.messages.size(); ++i) {
    const ChatMessage& message = params.messages[i];
    const std::string where = "messages[" + std::to_string(i) + "]";
    const bool toolRole = message.role == "tool" || message.role == "function";
    if (toolRole && text::isBlank(message.toolCallId)) {
      return where + " is a " + message.role +
             " message without toolCallId (BitRouter requires tool_call_id)";
    }
    if (message.toolCalls.empty()) continue;
    if (message.role != "assistant") {
      return where + " carries tool calls, which only assistant messages may";
    }
    for (std::size_t j = 0; j < message.toolCalls.size(); ++j) {
      const ToolCall& call = message.toolCalls[j];
      const std::string callWhere = where + ".toolCalls[" + std::to_string(j) + "]";
      if (text::isBlank(call.id)) return callWhere + " has no id (BitRouter requires one)";
      if (text::isBlank(call.name)) return callWhere + " has no name";
    }
  }
  return std::nullopt;
}

void writeChoice(BodyWriter& writer, const ToolChoice& choice) {
  switch (choice.mode) {
    case ToolChoice::Mode::Auto:  // not written (see writeTools)
      writer.String("auto");
      return;
    case ToolChoice::Mode::None:
      writer.String("none");
      return;
    case ToolChoice::Mode::Required:
      writer.String("required");
      return;
    case ToolChoice::Mode::Named:
      writer.StartObject();
      writer.Key("type");
      writer.String("function");
      writer.Key("function");
      writer.StartObject();
      writer.Key("name");
      writeString(writer, choice.name);
      writer.EndObject();
      writer.EndObject();
      return;
  }
}

}  // namespace

bool ToolsJson::isJsonObjectText(std::string_view json) {
  const std::string_view trimmed = text::trim(json);
  // A NUL would end RapidJSON's input early and then travel inside the body.
  if (trimmed.empty() || trimmed.front() != '{' || trimmed.find('\0') != std::string_view::npos) {
    return false;
  }
  rapidjson::MemoryStream input(trimmed.data(), trimmed.size());
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::Reader reader;
  return !reader
              .Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(input,
                                                                                             ignore)
              .IsError();
}

std::optional<std::string> ToolsJson::validate(const GenerateTextParams& params) {
  if (auto problem = checkTools(params)) return problem;
  return checkHistory(params);
}

std::optional<std::string> ToolsJson::writeTools(BodyWriter& writer,
                                                 const GenerateTextParams& params) {
  if (params.tools.empty()) return std::nullopt;
  writer.Key("tools");
  writer.StartArray();
  for (std::size_t i = 0; i < params.tools.size(); ++i) {
    const ToolDefinition& tool = params.tools[i];
    writer.StartObject();
    writer.Key("type");
    writer.String("function");
    writer.Key("function");
    writer.StartObject();
    writer.Key("name");
    if (!writeString(writer, tool.name)) return toolWhere(i) + " name is not valid UTF-8";
    if (!tool.description.empty()) {
      writer.Key("description");
      if (!writeString(writer, tool.description)) {
        return toolWhere(i) + " description is not valid UTF-8";
      }
    }
    if (!tool.parameters.empty()) {
      writer.Key("parameters");
      const std::string_view schema = text::trim(tool.parameters);
      writer.RawValue(schema.data(), schema.size(), rapidjson::kObjectType);
    }
    if (tool.strict) {
      writer.Key("strict");
      writer.Bool(*tool.strict);
    }
    writer.EndObject();
    writer.EndObject();
  }
  writer.EndArray();
  if (params.toolChoice) {  // unset: BitRouter's default applies ("auto")
    writer.Key("tool_choice");
    writeChoice(writer, *params.toolChoice);
  }
  if (params.parallelToolCalls) {
    writer.Key("parallel_tool_calls");
    writer.Bool(*params.parallelToolCalls);
  }
  return std::nullopt;
}

bool ToolsJson::writeToolCalls(BodyWriter& writer, const std::vector<ToolCall>& calls) {
  bool ok = true;
  writer.Key("tool_calls");
  writer.StartArray();
  for (const ToolCall& call : calls) {
    writer.StartObject();
    writer.Key("id");
    ok &= writeString(writer, call.id);
    writer.Key("type");
    writer.String("function");
    writer.Key("function");
    writer.StartObject();
    writer.Key("name");
    ok &= writeString(writer, call.name);
    writer.Key("arguments");
    ok &= writeString(writer, call.arguments);
    writer.EndObject();
    writer.EndObject();
  }
  writer.EndArray();
  return ok;
}

}  // namespace agent::bitrouter
