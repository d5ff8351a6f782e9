#include "chat/ToolCallAccumulator.hpp"

#include <algorithm>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "chat/SplitSurrogates.hpp"

namespace agent::bitrouter {
namespace {

std::string_view stringMember(const rapidjson::Value& object, const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return {};
  return {member->value.GetString(), member->value.GetStringLength()};
}

// Whether `text` is one whole JSON value: arguments still arriving are not.
bool isWholeJson(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return false;
  rapidjson::MemoryStream input(text.data(), text.size());
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::Reader reader;
  return !reader.Parse<rapidjson::kParseIterativeFlag>(input, ignore).IsError();
}

// Some upstreams send arguments as a JSON object instead of its text: keep it as compact text.
void appendArguments(const rapidjson::Value& arguments, std::string& out) {
  if (arguments.IsString()) {
    const std::size_t before = out.size();
    out.append(arguments.GetString(), arguments.GetStringLength());
    surrogates::joinAt(out, before);  // a pair split across two deltas
  } else if (!arguments.IsNull()) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    arguments.Accept(writer);
    out.append(buffer.GetString(), buffer.GetSize());
  }
}

}  // namespace

void ToolCallAccumulator::reset() noexcept {
  entries_.clear();
  bytes_ = 0;
}

ToolCallAccumulator::Entry& ToolCallAccumulator::entryFor(long long index) {
  auto at = std::lower_bound(entries_.begin(), entries_.end(), index,
                             [](const Entry& entry, long long i) { return entry.index < i; });
  if (at != entries_.end() && at->index == index) return *at;
  Entry entry;
  entry.index = index;
  return *entries_.insert(at, std::move(entry));
}

void ToolCallAccumulator::completeBefore(long long index) {
  for (Entry& entry : entries_) {
    if (entry.index >= index) break;
    if (!entry.complete && isWholeJson(entry.call.arguments)) entry.complete = true;
  }
}

void ToolCallAccumulator::merge(const rapidjson::Value& delta, long long index) {
  Entry& entry = entryFor(index);
  ToolCall& call = entry.call;
  const std::size_t before = call.id.size() + call.name.size() + call.arguments.size();
  // Repeated ids and names are the same call's; only the first one counts.
  if (call.id.empty()) call.id = stringMember(delta, "id");
  const auto function = delta.FindMember("function");
  if (function != delta.MemberEnd() && function->value.IsObject()) {
    if (call.name.empty()) call.name = stringMember(function->value, "name");
    const auto arguments = function->value.FindMember("arguments");
    if (arguments != function->value.MemberEnd()) appendArguments(arguments->value, call.arguments);
  }
  bytes_ += call.id.size() + call.name.size() + call.arguments.size() - before;
}

void ToolCallAccumulator::add(const rapidjson::Value& toolCalls, bool positional) {
  if (!toolCalls.IsArray()) return;
  long long position = entries_.empty() ? 0 : entries_.back().index + 1;
  for (const auto& delta : toolCalls.GetArray()) {
    if (!delta.IsObject()) continue;
    long long index = position++;
    const auto member = delta.FindMember("index");
    if (!positional && member != delta.MemberEnd() && member->value.IsInt64()) {
      index = member->value.GetInt64();
    } else if (!positional && !entries_.empty()) {
      // No index: a new call when it names a new id, else more of the latest one.
      const std::string_view id = stringMember(delta, "id");
      const Entry& last = entries_.back();
      index = id.empty() || id == last.call.id ? last.index : last.index + 1;
    }
    completeBefore(index);
    merge(delta, index);
  }
}

void ToolCallAccumulator::finish() noexcept {
  for (Entry& entry : entries_)
    entry.complete = true;
}

ToolCall* ToolCallAccumulator::nextComplete() noexcept {
  for (Entry& entry : entries_) {
    if (entry.complete && !entry.handedOut) {
      entry.handedOut = true;
      return &entry.call;
    }
  }
  return nullptr;
}

bool ToolCallAccumulator::hasComplete() const noexcept {
  return std::any_of(entries_.begin(), entries_.end(),
                     [](const Entry& entry) { return entry.complete && !entry.handedOut; });
}

std::vector<ToolCall> ToolCallAccumulator::calls() const {
  std::vector<ToolCall> out;
  out.reserve(entries_.size());
  for (const Entry& entry : entries_)
    out.push_back(entry.call);
  return out;
}

}  // namespace agent::bitrouter
