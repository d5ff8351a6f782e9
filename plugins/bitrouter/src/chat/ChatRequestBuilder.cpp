#include "chat/ChatRequestBuilder.hpp"

#include <cmath>
#include <cstdint>

#include <rapidjson/writer.h>

#include "agent/support/Utf8.hpp"
#include "chat/JsonModeHint.hpp"
#include "chat/ToolsJson.hpp"

namespace agent::bitrouter {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::int64_t kMaxTokensLimit = 4294967295;  // BitRouter parses max_tokens as u32

bool isSystemRole(std::string_view role) {
  return role == "system" || role == "developer";
}

std::optional<std::string> checkFinite(const std::optional<double>& value, const char* name) {
  if (value && !std::isfinite(*value)) return std::string(name) + " must be a finite number";
  return std::nullopt;
}

// Checked here, not by the Writer (kWriteValidateEncodingFlag is several times slower).
bool writeString(Writer& writer, std::string_view text) {
  if (!text::isValidUtf8(text)) return false;
  return writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

bool writeMessage(Writer& writer, std::string_view role, std::string_view content) {
  writer.StartObject();
  writer.Key("role");
  writeString(writer, role);
  writer.Key("content");
  const bool ok = writeString(writer, content);
  writer.EndObject();
  return ok;
}

// A history message: content is always a string ("" beside tool calls: never null), then the
// optional name, the assistant's tool calls, or the id of the call a tool message answers.
bool writeMessage(Writer& writer, const ChatMessage& message) {
  if (message.name.empty() && message.toolCalls.empty() && message.toolCallId.empty()) {
    return writeMessage(writer, message.role, message.content);
  }
  bool ok = true;
  writer.StartObject();
  writer.Key("role");
  ok &= writeString(writer, message.role);
  writer.Key("content");
  ok &= writeString(writer, message.content);
  if (!message.name.empty()) {
    writer.Key("name");
    ok &= writeString(writer, message.name);
  }
  if (!message.toolCalls.empty() && message.role == "assistant") {
    ok &= ToolsJson::writeToolCalls(writer, message.toolCalls);
  }
  if (!message.toolCallId.empty() && (message.role == "tool" || message.role == "function")) {
    writer.Key("tool_call_id");
    ok &= writeString(writer, message.toolCallId);
  }
  writer.EndObject();
  return ok;
}

}  // namespace

std::optional<std::string> ChatRequestBuilder::validate(const GenerateTextParams& params) {
  if (params.maxTokens) {
    if (*params.maxTokens < 1) {
      return "maxTokens must be at least 1 (got " + std::to_string(*params.maxTokens) + ")";
    }
    if (*params.maxTokens > kMaxTokensLimit) {
      return "maxTokens must be at most " + std::to_string(kMaxTokensLimit) + " (got " +
             std::to_string(*params.maxTokens) + ")";
    }
  }
  for (auto problem :
       {checkFinite(params.temperature, "temperature"), checkFinite(params.topP, "topP"),
        checkFinite(params.frequencyPenalty, "frequencyPenalty"),
        checkFinite(params.presencePenalty, "presencePenalty")}) {
    if (problem) return problem;
  }
  for (std::size_t i = 0; i < params.messages.size(); ++i) {
    const std::string& role = params.messages[i].role;
    if (role == "system" || role == "developer" || role == "user" || role == "assistant" ||
        role == "tool" || role == "function") {
      continue;
    }
    return "messages[" + std::to_string(i) + "].role '" + role +
           "' is not one of system, developer, user, assistant, tool";
  }
  return ToolsJson::validate(params);
}

std::optional<std::string> ChatRequestBuilder::build(const ChatRequest& request,
                                                     rapidjson::StringBuffer& out) {
  const GenerateTextParams& params = request.params;
  out.Clear();
  Writer writer(out);
  writer.StartObject();
  writer.Key("model");
  if (!writeString(writer, request.model)) return "the model name is not valid UTF-8";
  if (params.maxTokens) {
    writer.Key("max_tokens");
    writer.Int64(*params.maxTokens);
  }
  if (params.temperature) {
    writer.Key("temperature");
    writer.Double(*params.temperature);
  }
  if (params.topP) {
    writer.Key("top_p");
    writer.Double(*params.topP);
  }
  if (params.frequencyPenalty) {
    writer.Key("frequency_penalty");
    writer.Double(*params.frequencyPenalty);
  }
  if (params.presencePenalty) {
    writer.Key("presence_penalty");
    writer.Double(*params.presencePenalty);
  }
  if (request.schema != nullptr) {
    writer.Key("response_format");
    writer.StartObject();
    writer.Key("type");
    if (request.structuredOutputs) {
      writer.String("json_schema");
      writer.Key("json_schema");
      writer.StartObject();
      writer.Key("name");
      writer.String("response");
      writer.Key("strict");
      writer.Bool(true);
      writer.Key("schema");
      const std::string& schema = request.schema->compactJson();
      writer.RawValue(schema.data(), schema.size(), rapidjson::kObjectType);
      writer.EndObject();
    } else {
      writer.String("json_object");
    }
    writer.EndObject();
  }
  if (params.stopSequences && !params.stopSequences->empty()) {
    writer.Key("stop");
    writer.StartArray();
    for (const std::string& stop : *params.stopSequences) {
      if (!writeString(writer, stop)) return "a stop sequence is not valid UTF-8";
    }
    writer.EndArray();
  }
  if (params.seed) {
    writer.Key("seed");
    writer.Int64(*params.seed);
  }
  if (auto problem = ToolsJson::writeTools(writer, params)) return problem;

  writer.Key("messages");
  writer.StartArray();
  const bool systemGiven = params.system && !params.system->empty();
  // json_object mode: see JsonModeHint.hpp. Written after the system prompt, before the rest.
  const bool jsonHint = request.schema != nullptr && !request.structuredOutputs &&
                        !JsonModeHint::mentionsJson(params);
  auto writeJsonHint = [&] {
    if (jsonHint) writeMessage(writer, "system", JsonModeHint::line(request.schema->compactJson()));
  };
  if (params.messages.empty()) {
    if (systemGiven && !writeMessage(writer, "system", *params.system)) {
      return "the system prompt is not valid UTF-8";
    }
    writeJsonHint();
    if (!writeMessage(writer, "user", params.prompt)) return "the prompt is not valid UTF-8";
  } else {
    // `system` joins the messages unless they carry their own system prompt already.
    bool hasSystem = false;
    for (const ChatMessage& message : params.messages)
      hasSystem |= isSystemRole(message.role);
    if (systemGiven && !hasSystem && !writeMessage(writer, "system", *params.system)) {
      return "the system prompt is not valid UTF-8";
    }
    writeJsonHint();
    for (std::size_t i = 0; i < params.messages.size(); ++i) {
      const ChatMessage& message = params.messages[i];
      if (!writeMessage(writer, message)) {
        return "messages[" + std::to_string(i) + "] is not valid UTF-8";
      }
    }
  }
  writer.EndArray();

  if (request.stream) {
    writer.Key("stream");
    writer.Bool(true);
  }
  writer.EndObject();
  return std::nullopt;
}

}  // namespace agent::bitrouter
