#include "ScriptJson.hpp"

#include <chrono>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace agent::standin {
namespace {

using rapidjson::Value;

struct Reader {
  const Value& value;
  std::string name;
  std::optional<std::string>& error;

  bool fail(std::string_view expected) {
    error = "field '" + name + "' must be " + std::string(expected);
    return false;
  }
  bool read(bool& out) {
    if (!value.IsBool()) return fail("a boolean");
    out = value.GetBool();
    return true;
  }
  bool read(int& out) {
    if (!value.IsInt()) return fail("an integer");
    out = value.GetInt();
    return true;
  }
  bool read(std::size_t& out) {
    if (!value.IsUint64()) return fail("a non-negative integer");
    out = static_cast<std::size_t>(value.GetUint64());
    return true;
  }
  bool read(std::string& out) {
    if (!value.IsString()) return fail("a string");
    out.assign(value.GetString(), value.GetStringLength());
    return true;
  }
  bool read(std::chrono::milliseconds& out) {
    if (!value.IsUint64()) return fail("a non-negative integer (milliseconds)");
    out = std::chrono::milliseconds(static_cast<std::int64_t>(value.GetUint64()));
    return true;
  }
  template <typename T>
  bool read(std::optional<T>& out) {
    T inner{};
    if (!read(inner)) return false;
    out = std::move(inner);
    return true;
  }
  bool read(std::vector<std::string>& out) {
    if (!value.IsArray()) return fail("an array of strings");
    for (const auto& item : value.GetArray()) {
      if (!item.IsString()) return fail("an array of strings");
      out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return true;
  }
  bool read(std::vector<ScriptedToolCall>& out) {
    constexpr std::string_view kShape = "an array of {id, name, arguments} string objects";
    if (!value.IsArray()) return fail(kShape);
    for (const auto& item : value.GetArray()) {
      if (!item.IsObject()) return fail(kShape);
      ScriptedToolCall call;
      for (const auto& field : item.GetObject()) {
        if (!field.value.IsString()) return fail(kShape);
        const std::string_view key(field.name.GetString(), field.name.GetStringLength());
        std::string text(field.value.GetString(), field.value.GetStringLength());
        if (key == "id") {
          call.id = std::move(text);
        } else if (key == "name") {
          call.name = std::move(text);
        } else if (key == "arguments") {
          call.arguments = std::move(text);
        } else {
          return fail(kShape);
        }
      }
      out.push_back(std::move(call));
    }
    return true;
  }
  bool read(std::vector<std::pair<std::string, std::string>>& out) {
    if (!value.IsObject()) return fail("an object of strings");
    for (const auto& header : value.GetObject()) {
      if (!header.value.IsString()) return fail("an object of strings");
      out.emplace_back(header.name.GetString(), header.value.GetString());
    }
    return true;
  }
};

}  // namespace

std::optional<std::string> ScriptJson::parse(const Value& json, ResponseScript& script,
                                             int& count) {
  if (!json.IsObject()) return std::string("the script must be a JSON object");
  count = 1;
  std::optional<std::string> error;
  for (const auto& member : json.GetObject()) {
    std::string_view name(member.name.GetString(), member.name.GetStringLength());
    Reader reader{member.value, std::string(name), error};
    bool ok = true;
    if (name == "count")
      ok = reader.read(count);
    else if (name == "status")
      ok = reader.read(script.status);
    else if (name == "errorCode")
      ok = reader.read(script.errorCode);
    else if (name == "errorMessage")
      ok = reader.read(script.errorMessage);
    else if (name == "headers")
      ok = reader.read(script.headers);
    else if (name == "body")
      ok = reader.read(script.body);
    else if (name == "contentType")
      ok = reader.read(script.contentType);
    else if (name == "content")
      ok = reader.read(script.content);
    else if (name == "nullContent")
      ok = reader.read(script.nullContent);
    else if (name == "emptyChoices")
      ok = reader.read(script.emptyChoices);
    else if (name == "omitUsage")
      ok = reader.read(script.omitUsage);
    else if (name == "finishReason")
      ok = reader.read(script.finishReason);
    else if (name == "delayBeforeHeadersMs")
      ok = reader.read(script.delayBeforeHeaders);
    else if (name == "dropBeforeHeaders")
      ok = reader.read(script.dropBeforeHeaders);
    else if (name == "dropMidBody")
      ok = reader.read(script.dropMidBody);
    else if (name == "neverAnswer")
      ok = reader.read(script.neverAnswer);
    else if (name == "trickleHeaders")
      ok = reader.read(script.trickleHeaders);
    else if (name == "trickleDelayMs")
      ok = reader.read(script.trickleDelay);
    else if (name == "bodyPadBytes")
      ok = reader.read(script.bodyPadBytes);
    else if (name == "streamChunks")
      ok = reader.read(script.streamChunks);
    else if (name == "frameDelayMs")
      ok = reader.read(script.frameDelay);
    else if (name == "keepalivesBeforeFirstFrame")
      ok = reader.read(script.keepalivesBeforeFirstFrame);
    else if (name == "errorAfterFrames")
      ok = reader.read(script.errorAfterFrames);
    else if (name == "streamErrorCode")
      ok = reader.read(script.streamErrorCode);
    else if (name == "omitFinish")
      ok = reader.read(script.omitFinish);
    else if (name == "omitDone")
      ok = reader.read(script.omitDone);
    else if (name == "cutAfterFrames")
      ok = reader.read(script.cutAfterFrames);
    else if (name == "toolCalls")
      ok = reader.read(script.toolCalls);
    else if (name == "reasoning")
      ok = reader.read(script.reasoning);
    else if (name == "refusal")
      ok = reader.read(script.refusal);
    else if (name == "rawRefusal")
      ok = reader.read(script.rawRefusal);
    else if (name == "streamErrorJson")
      ok = reader.read(script.streamErrorJson);
    else if (name == "pieceBytes")
      ok = reader.read(script.pieceBytes);
    else if (name == "interleaveToolCalls")
      ok = reader.read(script.interleaveToolCalls);
    else if (name == "repeatToolCallNames")
      ok = reader.read(script.repeatToolCallNames);
    else
      return "unknown field '" + std::string(name) + "'";
    if (!ok) return error;
  }
  if (count < 1) return std::string("field 'count' must be at least 1");
  return std::nullopt;
}

}  // namespace agent::standin
