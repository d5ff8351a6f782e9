#include "CompletionRenderer.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agent::standin {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void string(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

std::string CompletionRenderer::completion(const Completion& completion) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("id");
  string(writer, completion.id);
  writer.Key("object");
  writer.String("chat.completion");
  writer.Key("model");
  string(writer, completion.model);
  writer.Key("choices");
  writer.StartArray();
  if (!completion.emptyChoices) {
    writer.StartObject();
    writer.Key("index");
    writer.Uint(0);
    writer.Key("message");
    writer.StartObject();
    writer.Key("role");
    writer.String("assistant");
    writer.Key("content");
    if (completion.content) {
      string(writer, *completion.content);
    } else {
      writer.Null();
    }
    writer.EndObject();
    writer.Key("finish_reason");
    if (completion.finishReason) {
      string(writer, *completion.finishReason);
    } else {
      writer.Null();
    }
    writer.EndObject();
  }
  writer.EndArray();
  if (completion.usage) {
    writer.Key("usage");
    writer.StartObject();
    writer.Key("prompt_tokens");
    writer.Uint64(completion.usage->promptTokens);
    writer.Key("completion_tokens");
    writer.Uint64(completion.usage->completionTokens);
    writer.Key("total_tokens");
    writer.Uint64(completion.usage->promptTokens + completion.usage->completionTokens);
    writer.EndObject();
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string CompletionRenderer::chunk(std::string_view id, std::string_view model, bool role,
                                      std::optional<std::string_view> content,
                                      std::optional<std::string_view> finishReason) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("id");
  string(writer, id);
  writer.Key("object");
  writer.String("chat.completion.chunk");
  writer.Key("model");
  string(writer, model);
  writer.Key("choices");
  writer.StartArray();
  writer.StartObject();
  writer.Key("index");
  writer.Uint(0);
  writer.Key("delta");
  writer.StartObject();
  if (role) {
    writer.Key("role");
    writer.String("assistant");
  }
  if (content) {
    writer.Key("content");
    string(writer, *content);
  }
  writer.EndObject();
  writer.Key("finish_reason");
  if (finishReason) {
    string(writer, *finishReason);
  } else {
    writer.Null();
  }
  writer.EndObject();
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace agent::standin
