#include "CompletionRenderer.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agent::standin {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void string(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void toolCall(Writer& writer, std::optional<std::size_t> index, std::string_view id,
              std::optional<std::string_view> name, std::optional<std::string_view> arguments) {
  writer.StartObject();
  if (index) {
    writer.Key("index");
    writer.Uint64(*index);
  }
  writer.Key("id");
  string(writer, id);
  writer.Key("type");
  writer.String("function");
  writer.Key("function");
  writer.StartObject();
  if (name) {
    writer.Key("name");
    string(writer, *name);
  }
  if (arguments) {
    writer.Key("arguments");
    string(writer, *arguments);
  }
  writer.EndObject();
  writer.EndObject();
}

void chunkStart(Writer& writer, std::string_view id, std::string_view model) {
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
}

// "usage", with the detail objects only when a detail count is set.
void writeUsage(Writer& writer, const Usage& usage) {
  writer.Key("usage");
  writer.StartObject();
  writer.Key("prompt_tokens");
  writer.Uint64(usage.promptTokens);
  writer.Key("completion_tokens");
  writer.Uint64(usage.completionTokens);
  writer.Key("total_tokens");
  writer.Uint64(usage.promptTokens + usage.completionTokens);
  if (usage.cachedTokens || usage.cacheCreationTokens) {
    writer.Key("prompt_tokens_details");
    writer.StartObject();
    if (usage.cachedTokens) {
      writer.Key("cached_tokens");
      writer.Uint64(*usage.cachedTokens);
    }
    if (usage.cacheCreationTokens) {
      writer.Key("cache_creation_tokens");
      writer.Uint64(*usage.cacheCreationTokens);
    }
    writer.EndObject();
  }
  if (usage.reasoningTokens) {
    writer.Key("completion_tokens_details");
    writer.StartObject();
    writer.Key("reasoning_tokens");
    writer.Uint64(*usage.reasoningTokens);
    writer.EndObject();
  }
  writer.EndObject();
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
    if (completion.reasoning) {
      writer.Key("reasoning_content");
      string(writer, *completion.reasoning);
    }
    if (completion.refusal) {
      writer.Key("refusal");
      string(writer, *completion.refusal);
    }
    if (completion.toolCalls != nullptr && !completion.toolCalls->empty()) {
      writer.Key("tool_calls");
      writer.StartArray();
      for (const ScriptedToolCall& call : *completion.toolCalls)
        toolCall(writer, std::nullopt, call.id, call.name, call.arguments);
      writer.EndArray();
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
  if (completion.usage) writeUsage(writer, *completion.usage);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string CompletionRenderer::usageChunk(std::string_view id, std::string_view model,
                                           const Usage& usage) {
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
  writer.EndArray();
  writeUsage(writer, usage);
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

std::string CompletionRenderer::deltaChunk(std::string_view id, std::string_view model, bool role,
                                           const Delta& delta) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  chunkStart(writer, id, model);
  writer.Key("delta");
  writer.StartObject();
  if (role) {
    writer.Key("role");
    writer.String("assistant");
  }
  if (delta.content) {
    writer.Key("content");
    string(writer, *delta.content);
  }
  if (delta.reasoning) {
    writer.Key("reasoning_content");
    string(writer, *delta.reasoning);
  }
  if (delta.refusal) {
    writer.Key("refusal");
    string(writer, *delta.refusal);
  }
  if (delta.toolCall) {
    const ToolCallDelta& call = *delta.toolCall;
    writer.Key("tool_calls");
    writer.StartArray();
    toolCall(writer, call.index, call.id, call.name, call.arguments);
    writer.EndArray();
  }
  writer.EndObject();
  writer.Key("finish_reason");
  writer.Null();
  writer.EndObject();
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace agent::standin
