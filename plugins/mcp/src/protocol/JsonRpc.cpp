#include "protocol/JsonRpc.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agent::mcp {

const rapidjson::Value* Incoming::member(const char* name) const {
  if (!document || !document->IsObject()) return nullptr;
  const auto it = document->FindMember(name);
  return it == document->MemberEnd() ? nullptr : &it->value;
}

Incoming parseMessage(std::string_view text) {
  Incoming message;
  message.document = std::make_shared<rapidjson::Document>();
  auto& document = *message.document;
  document.Parse(text.data(), text.size());
  if (document.HasParseError() || !document.IsObject()) {
    message.method = "not a JSON object";
    return message;
  }
  const auto method = document.FindMember("method");
  const auto id = document.FindMember("id");
  const bool hasId = id != document.MemberEnd() && !id->value.IsNull();
  if (method != document.MemberEnd()) {
    if (!method->value.IsString()) {
      message.method = "method is not text";
      return message;
    }
    message.method.assign(method->value.GetString(), method->value.GetStringLength());
    if (hasId) {
      message.kind = Incoming::Kind::Request;
      message.rawId = toJson(id->value);
    } else {
      message.kind = Incoming::Kind::Notification;
    }
    return message;
  }
  if (hasId && (document.HasMember("result") || document.HasMember("error"))) {
    if (id->value.IsInt64()) {
      message.id = id->value.GetInt64();
    } else if (id->value.IsString()) {  // some servers echo ids as text
      try {
        message.id = std::stoll(std::string(id->value.GetString(), id->value.GetStringLength()));
      } catch (...) {
        message.id = -1;
      }
    }
    message.kind = Incoming::Kind::Response;
    return message;
  }
  message.method = "neither a request, a notification nor a response";
  return message;
}

std::string requestText(std::int64_t id, std::string_view method, std::string_view params) {
  std::string text =
      "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(id) + ",\"method\":" + quoted(method);
  if (!params.empty()) {
    text += ",\"params\":";
    text += params;
  }
  return text + "}";
}

std::string notificationText(std::string_view method, std::string_view params) {
  std::string text = "{\"jsonrpc\":\"2.0\",\"method\":" + quoted(method);
  if (!params.empty()) {
    text += ",\"params\":";
    text += params;
  }
  return text + "}";
}

std::string resultText(std::string_view rawId, std::string_view result) {
  return "{\"jsonrpc\":\"2.0\",\"id\":" + std::string(rawId) +
         ",\"result\":" + std::string(result) + "}";
}

std::string errorText(std::string_view rawId, int code, std::string_view message) {
  return "{\"jsonrpc\":\"2.0\",\"id\":" + std::string(rawId) +
         ",\"error\":{\"code\":" + std::to_string(code) + ",\"message\":" + quoted(message) + "}}";
}

std::string toJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string quoted(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string describeError(const rapidjson::Value& error) {
  std::string text = "MCP error";
  if (!error.IsObject()) return text;
  if (auto code = error.FindMember("code"); code != error.MemberEnd() && code->value.IsInt())
    text += " " + std::to_string(code->value.GetInt());
  if (auto message = error.FindMember("message");
      message != error.MemberEnd() && message->value.IsString())
    text += ": " + std::string(message->value.GetString(), message->value.GetStringLength());
  return text;
}

}  // namespace agent::mcp
