#include "MessagesJson.hpp"

#include <fstream>
#include <iterator>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "CliSupport.hpp"

namespace agent::host::cli {
namespace {

std::string text(const rapidjson::Value& value) {
  return std::string(value.GetString(), value.GetStringLength());
}

// A string member, "" when absent or null; false when present with another type.
bool optionalString(const rapidjson::Value& object, const char* name, std::string& out) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return true;
  if (!it->value.IsString()) return false;
  out = text(it->value);
  return true;
}

Expected<Done, std::string> readContent(const rapidjson::Value& message, std::string& out) {
  const auto it = message.FindMember("content");
  if (it == message.MemberEnd() || it->value.IsNull()) return Done{};
  if (it->value.IsString()) {
    out = text(it->value);
    return Done{};
  }
  if (!it->value.IsArray()) {
    return std::string("\"content\" must be a string or an array of text parts");
  }
  for (const auto& part : it->value.GetArray()) {
    const auto partText = part.IsObject() ? part.FindMember("text") : part.MemberEnd();
    if (!part.IsObject() || partText == part.MemberEnd() || !partText->value.IsString()) {
      return std::string(
          "only text parts ({\"type\":\"text\",\"text\":...}) are supported in \"content\"");
    }
    out += text(partText->value);
  }
  return Done{};
}

Expected<Done, std::string> readToolCalls(const rapidjson::Value& message, ChatMessage& out) {
  const auto it = message.FindMember("tool_calls");
  if (it == message.MemberEnd() || it->value.IsNull()) return Done{};
  if (!it->value.IsArray()) return std::string("\"tool_calls\" must be an array");
  for (const auto& entry : it->value.GetArray()) {
    ToolCall call;
    const auto function = entry.IsObject() ? entry.FindMember("function") : entry.MemberEnd();
    if (function == entry.MemberEnd() || !function->value.IsObject()) {
      return std::string("each tool call needs a \"function\" object");
    }
    if (!optionalString(entry, "id", call.id) || call.id.empty()) {
      return std::string("each tool call needs an \"id\" string");
    }
    if (!optionalString(function->value, "name", call.name) || call.name.empty()) {
      return std::string("each tool call needs a \"function.name\" string");
    }
    if (!optionalString(function->value, "arguments", call.arguments)) {
      return std::string("\"function.arguments\" must be a string of JSON");
    }
    out.toolCalls.push_back(std::move(call));
  }
  return Done{};
}

}  // namespace

Expected<std::vector<ChatMessage>, std::string> parseMessages(std::string_view json) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (document.HasParseError()) {
    return std::string("not valid JSON: ") + rapidjson::GetParseError_En(document.GetParseError()) +
           " (at offset " + std::to_string(document.GetErrorOffset()) + ")";
  }
  if (!document.IsArray()) return std::string("expected a JSON array of messages");
  std::vector<ChatMessage> messages;
  std::size_t index = 0;
  for (const auto& entry : document.GetArray()) {
    ++index;
    const auto where = [&](const std::string& problem) {
      return "message " + std::to_string(index) + ": " + problem;
    };
    if (!entry.IsObject()) return where("must be an object");
    ChatMessage message;
    if (!optionalString(entry, "role", message.role) || message.role.empty()) {
      return where("needs a \"role\" string");
    }
    if (auto read = readContent(entry, message.content); !read) return where(read.error());
    if (auto read = readToolCalls(entry, message); !read) return where(read.error());
    if (!optionalString(entry, "tool_call_id", message.toolCallId)) {
      return where("\"tool_call_id\" must be a string");
    }
    if (message.role == "tool" && message.toolCallId.empty()) {
      return where("a tool message needs the \"tool_call_id\" of the call it answers");
    }
    if (!optionalString(entry, "name", message.name)) return where("\"name\" must be a string");
    messages.push_back(std::move(message));
  }
  return messages;
}

std::vector<ChatMessage> readMessagesOption(const std::string& source,
                                            std::istream* standardInput) {
  std::string json;
  if (source == "-" && standardInput != nullptr) {
    json.assign(std::istreambuf_iterator<char>(*standardInput), std::istreambuf_iterator<char>());
  } else {
    std::ifstream file(source, std::ios::binary);
    if (!file) throw UsageError("--messages: cannot read '" + source + "'");
    json.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  auto parsed = parseMessages(json);
  if (!parsed) throw UsageError("--messages '" + source + "': " + parsed.error());
  return std::move(parsed).value();
}

std::string writeMessages(const std::vector<ChatMessage>& messages) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  writer.StartArray();
  for (const ChatMessage& message : messages) {
    writer.StartObject();
    writer.Key("role");
    writer.String(message.role);
    writer.Key("content");
    writer.String(message.content);
    if (!message.toolCalls.empty()) {
      writer.Key("tool_calls");
      writer.StartArray();
      for (const ToolCall& call : message.toolCalls) {
        writer.StartObject();
        writer.Key("id");
        writer.String(call.id);
        writer.Key("type");
        writer.String("function");
        writer.Key("function");
        writer.StartObject();
        writer.Key("name");
        writer.String(call.name);
        writer.Key("arguments");
        writer.String(call.arguments);
        writer.EndObject();
        writer.EndObject();
      }
      writer.EndArray();
    }
    if (!message.toolCallId.empty()) {
      writer.Key("tool_call_id");
      writer.String(message.toolCallId);
    }
    if (!message.name.empty()) {
      writer.Key("name");
      writer.String(message.name);
    }
    writer.EndObject();
  }
  writer.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace agent::host::cli
