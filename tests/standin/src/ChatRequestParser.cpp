#include "ChatRequestParser.hpp"

#include <algorithm>
#include <array>

namespace agent::standin {
namespace {

using rapidjson::Value;

// serde_json's description of an unexpected value ("invalid type: <this>, expected ...").
std::string describe(const Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsBool()) return value.GetBool() ? "boolean `true`" : "boolean `false`";
  if (value.IsUint64()) return "integer `" + std::to_string(value.GetUint64()) + "`";
  if (value.IsInt64()) return "integer `" + std::to_string(value.GetInt64()) + "`";
  if (value.IsNumber()) return "floating point `" + std::to_string(value.GetDouble()) + "`";
  if (value.IsString()) return "string \"" + std::string(value.GetString()) + "\"";
  if (value.IsArray()) return "sequence";
  return "map";
}

// BitRouter shows at most 240 characters of the body in a deserialisation error.
std::string preview(std::string_view body) {
  std::size_t chars = 0;
  std::size_t i = 0;
  for (; i < body.size() && chars < 240; ++i) {
    if ((static_cast<unsigned char>(body[i]) & 0xC0) != 0x80) ++chars;
  }
  while (i < body.size() && (static_cast<unsigned char>(body[i]) & 0xC0) == 0x80)
    ++i;
  return std::string(body.substr(0, i));
}

class Failure {
 public:
  explicit Failure(std::string_view body) : body_(body) {}
  // A serde error inside the ChatRequest deserialiser.
  std::string serde(std::string_view detail) const {
    return "failed to deserialize ChatRequest: " + std::string(detail) +
           " (at line 0, column 0); body preview: " + preview(body_);
  }
  std::string missing(std::string_view field) const {
    return serde("missing field `" + std::string(field) + "`");
  }
  std::string invalidType(const Value& value, std::string_view expected) const {
    return serde("invalid type: " + describe(value) + ", expected " + std::string(expected));
  }

 private:
  std::string_view body_;
};

const Value* member(const Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// Present and not null (Option<T> fields accept null).
const Value* optionalMember(const Value& object, const char* name) {
  const Value* value = member(object, name);
  return value == nullptr || value->IsNull() ? nullptr : value;
}

std::optional<std::string> checkU32(const Value& object, const char* name, const Failure& fail) {
  const Value* value = optionalMember(object, name);
  if (value == nullptr || value->IsUint()) return std::nullopt;
  if (value->IsInt64() || value->IsUint64()) {
    return fail.serde("invalid value: " + describe(*value) + ", expected u32");
  }
  return fail.invalidType(*value, "u32");
}

std::optional<std::string> checkNumber(const Value& object, const char* name, const Failure& fail) {
  const Value* value = optionalMember(object, name);
  if (value == nullptr || value->IsNumber()) return std::nullopt;
  return fail.invalidType(*value, "f64");
}

// Text of a message's content: a string, or the text parts of a parts array.
std::optional<std::string> contentText(const Value& content, std::string& text,
                                       const Failure& fail) {
  if (content.IsNull()) return std::nullopt;
  if (content.IsString()) {
    text.assign(content.GetString(), content.GetStringLength());
    return std::nullopt;
  }
  if (!content.IsArray()) return fail.invalidType(content, "a string or an array of parts");
  for (const auto& part : content.GetArray()) {
    if (!part.IsObject()) return fail.invalidType(part, "a content part");
    const Value* type = member(part, "type");
    const Value* partText = member(part, "text");
    // Other part kinds (image_url, input_audio, file, unknown) carry no text.
    if (type != nullptr && type->IsString() && std::string_view(type->GetString()) == "text") {
      if (partText == nullptr) return fail.missing("text");
      if (!partText->IsString()) return fail.invalidType(*partText, "a string");
      if (!text.empty()) text.push_back('\n');
      text.append(partText->GetString(), partText->GetStringLength());
    }
  }
  return std::nullopt;
}

std::optional<std::string> checkMessage(const Value& message, const Failure& fail,
                                        ChatRequest& request) {
  if (!message.IsObject()) return fail.invalidType(message, "struct ChatMessage");
  const Value* role = member(message, "role");
  if (role == nullptr) return fail.missing("role");
  if (!role->IsString()) return fail.invalidType(*role, "a string");
  std::string_view name(role->GetString(), role->GetStringLength());
  static constexpr std::array<std::string_view, 6> kRoles{"system",    "developer", "user",
                                                          "assistant", "tool",      "function"};
  if (std::find(kRoles.begin(), kRoles.end(), name) == kRoles.end()) {
    return fail.serde("unknown message role '" + std::string(name) +
                      "', expected one of system, developer, user, assistant, tool, function");
  }
  std::string text;
  if (const Value* content = member(message, "content")) {
    if (auto error = contentText(*content, text, fail)) return error;
  }
  request.promptChars += text.size();
  if (name == "user") request.lastUserText = std::move(text);

  if (name == "tool") {
    const Value* id = optionalMember(message, "tool_call_id");
    if (id == nullptr) return std::string("tool message requires tool_call_id");
    if (!id->IsString()) return fail.invalidType(*id, "a string");
  }
  if (const Value* calls = member(message, "tool_calls")) {
    if (!calls->IsArray()) return fail.invalidType(*calls, "a sequence");
    for (const auto& call : calls->GetArray()) {
      if (!call.IsObject()) return fail.invalidType(call, "struct ToolCall");
      if (member(call, "id") == nullptr) return fail.missing("id");
      const Value* function = member(call, "function");
      if (function == nullptr) return fail.missing("function");
      if (!function->IsObject()) return fail.invalidType(*function, "struct FunctionCall");
      const Value* functionName = member(*function, "name");
      if (functionName == nullptr) return fail.missing("name");
      if (!functionName->IsString()) return fail.invalidType(*functionName, "a string");
      const Value* arguments = member(*function, "arguments");
      if (arguments == nullptr) return fail.missing("arguments");
      if (!arguments->IsString()) return fail.invalidType(*arguments, "a string");
    }
  }
  return std::nullopt;
}

std::optional<std::string> checkResponseFormat(const Value& root, const Failure& fail,
                                               ChatRequest& request) {
  const Value* format = optionalMember(root, "response_format");
  if (format == nullptr) return std::nullopt;
  if (!format->IsObject())
    return fail.invalidType(*format, "internally tagged enum ResponseFormat");
  const Value* type = member(*format, "type");
  if (type == nullptr) return fail.missing("type");
  if (!type->IsString()) return fail.invalidType(*type, "a string");
  std::string_view kind(type->GetString(), type->GetStringLength());
  if (kind == "text") {
    request.responseFormat = ResponseFormat::Text;
  } else if (kind == "json_object") {
    request.responseFormat = ResponseFormat::JsonObject;
  } else if (kind == "json_schema") {
    const Value* spec = member(*format, "json_schema");
    if (spec == nullptr) return fail.missing("json_schema");
    if (!spec->IsObject()) return fail.invalidType(*spec, "struct JsonSchemaSpec");
    const Value* name = member(*spec, "name");
    if (name == nullptr) return fail.missing("name");
    if (!name->IsString()) return fail.invalidType(*name, "a string");
    if (member(*spec, "schema") == nullptr) return fail.missing("schema");
    request.responseFormat = ResponseFormat::JsonSchema;
  } else {
    return fail.serde("unknown variant `" + std::string(kind) +
                      "`, expected one of `text`, `json_object`, `json_schema`");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ChatRequestParser::parse(const Value& root, std::string_view body,
                                                    ChatRequest& request) {
  const Failure fail(body);
  if (!root.IsObject()) return fail.invalidType(root, "struct ChatRequest");

  const Value* model = member(root, "model");
  if (model == nullptr) return fail.missing("model");
  if (!model->IsString()) return fail.invalidType(*model, "a string");
  request.model.assign(model->GetString(), model->GetStringLength());

  const Value* messages = member(root, "messages");
  if (messages == nullptr) return fail.missing("messages");
  if (!messages->IsArray()) return fail.invalidType(*messages, "a sequence");
  for (const auto& message : messages->GetArray()) {
    if (auto error = checkMessage(message, fail, request)) return error;
  }

  // `stream` is a plain bool: null is a type error, absent means false.
  if (const Value* stream = member(root, "stream")) {
    if (!stream->IsBool()) return fail.invalidType(*stream, "a boolean");
    request.stream = stream->GetBool();
  }

  for (const char* field : {"max_tokens", "max_completion_tokens"}) {
    if (auto error = checkU32(root, field, fail)) return error;
  }
  for (const char* field : {"temperature", "top_p", "presence_penalty", "frequency_penalty"}) {
    if (auto error = checkNumber(root, field, fail)) return error;
  }
  if (const Value* seed = optionalMember(root, "seed"); seed != nullptr && !seed->IsInt64()) {
    return fail.invalidType(*seed, "i64");
  }
  if (const Value* tools = member(root, "tools")) {
    if (!tools->IsArray()) return fail.invalidType(*tools, "a sequence");
    for (const auto& tool : tools->GetArray()) {
      if (!tool.IsObject()) return fail.invalidType(tool, "struct Tool");
      const Value* function = member(tool, "function");
      if (function == nullptr) return fail.missing("function");
      if (!function->IsObject()) return fail.invalidType(*function, "struct FunctionDef");
      if (member(*function, "name") == nullptr) return fail.missing("name");
    }
  }
  // A plain bool: null is a type error, as for `stream`.
  if (const Value* parallel = member(root, "parallel_tool_calls");
      parallel && !parallel->IsBool()) {
    return fail.invalidType(*parallel, "a boolean");
  }
  if (const Value* effort = optionalMember(root, "reasoning_effort")) {
    static constexpr std::array<std::string_view, 7> kEfforts{"none", "minimal", "low", "medium",
                                                              "high", "xhigh",   "max"};
    if (!effort->IsString()) return fail.invalidType(*effort, "a string");
    std::string_view value(effort->GetString(), effort->GetStringLength());
    if (std::find(kEfforts.begin(), kEfforts.end(), value) == kEfforts.end()) {
      return fail.serde("unknown variant `" + std::string(value) +
                        "`, expected one of `none`, `minimal`, `low`, `medium`, `high`, `xhigh`, "
                        "`max`");
    }
  }
  if (auto error = checkResponseFormat(root, fail, request)) return error;

  const Value* maxTokens = optionalMember(root, "max_tokens");
  const Value* maxCompletion = optionalMember(root, "max_completion_tokens");
  if (maxTokens != nullptr && maxCompletion != nullptr &&
      maxTokens->GetUint() != maxCompletion->GetUint()) {
    return std::string("max_tokens and max_completion_tokens must match when both are provided");
  }
  return std::nullopt;
}

}  // namespace agent::standin
