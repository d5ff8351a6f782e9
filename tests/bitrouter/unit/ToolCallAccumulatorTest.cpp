// ToolCallAccumulator and the tool-call side of StreamAccumulator: streamed tool calls merged by
// index from pieces cut anywhere, fed byte by byte through the SSE parser too.
#include "chat/ToolCallAccumulator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chat/StreamAccumulator.hpp"
#include "transport/SseParser.hpp"

namespace agent::bitrouter {
namespace {

using Step = StreamAccumulator::Step;

void addJson(ToolCallAccumulator& calls, const std::string& json, bool positional = false) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  ASSERT_FALSE(document.HasParseError()) << json;
  calls.add(document, positional);
}

std::vector<std::string> drain(ToolCallAccumulator& calls) {
  std::vector<std::string> names;
  while (ToolCall* call = calls.nextComplete())
    names.push_back(call->name);
  return names;
}

TEST(ToolCallAccumulator, MergesPiecesByIndexWithIdAndNameOnTheFirstOnly) {
  ToolCallAccumulator calls;
  addJson(calls, R"([{"index":0,"id":"c1","type":"function","function":{"name":"get_weather",
      "arguments":""}}])");
  addJson(calls, R"([{"index":0,"function":{"arguments":"{\"ci"}}])");
  addJson(calls, R"([{"index":0,"function":{"arguments":"ty\":\"Paris\"}"}}])");
  const std::vector<ToolCall> merged = calls.calls();
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].id, "c1");
  EXPECT_EQ(merged[0].name, "get_weather");
  EXPECT_EQ(merged[0].arguments, R"({"city":"Paris"})");
}

TEST(ToolCallAccumulator, RepeatedIdsAndNamesAreNotDuplicated) {
  ToolCallAccumulator calls;
  for (const char* piece : {"{\\\"a\\\"", ":1", "}"}) {
    addJson(calls, std::string(R"([{"index":0,"id":"c1","type":"function","function":)") +
                       R"({"name":"f","arguments":")" + piece + R"("}}])");
  }
  const std::vector<ToolCall> merged = calls.calls();
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].id, "c1");
  EXPECT_EQ(merged[0].name, "f");
  EXPECT_EQ(merged[0].arguments, R"({"a":1})");
}

TEST(ToolCallAccumulator, ACallIsCompleteWhenALaterIndexStartsOrTheReplyFinishes) {
  ToolCallAccumulator calls;
  addJson(calls, R"([{"index":0,"id":"a","function":{"name":"first","arguments":"{}"}}])");
  EXPECT_TRUE(drain(calls).empty()) << "more arguments may still come";
  addJson(calls, R"([{"index":1,"id":"b","function":{"name":"second","arguments":"{"}}])");
  EXPECT_EQ(drain(calls), std::vector<std::string>{"first"});
  addJson(calls, R"([{"index":1,"function":{"arguments":"}"}}])");
  EXPECT_TRUE(drain(calls).empty());
  calls.finish();
  EXPECT_EQ(drain(calls), std::vector<std::string>{"second"});
  EXPECT_TRUE(drain(calls).empty()) << "each call is handed out once";
}

TEST(ToolCallAccumulator, InterleavedCallsAreNotCutShort) {
  ToolCallAccumulator calls;
  addJson(calls, R"([{"index":0,"id":"a","function":{"name":"f","arguments":"{\"x\":"}}])");
  addJson(calls, R"([{"index":1,"id":"b","function":{"name":"g","arguments":"{\"y\":"}}])");
  EXPECT_TRUE(drain(calls).empty()) << "index 0's arguments are not whole yet";
  addJson(calls, R"([{"index":0,"function":{"arguments":"1}"}}])");
  EXPECT_TRUE(drain(calls).empty()) << "index 0 is whole, but no later index came since";
  addJson(calls, R"([{"index":1,"function":{"arguments":"2}"}}])");
  EXPECT_EQ(drain(calls), std::vector<std::string>{"f"});
  calls.finish();
  EXPECT_EQ(drain(calls), std::vector<std::string>{"g"});
  const std::vector<ToolCall> merged = calls.calls();
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].arguments, R"({"x":1})");
  EXPECT_EQ(merged[1].arguments, R"({"y":2})");
}

TEST(ToolCallAccumulator, NonStreamedCallsAreKeyedByPosition) {
  ToolCallAccumulator calls;
  addJson(calls,
          R"([{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},
              {"id":"b","type":"function","function":{"name":"g","arguments":{"k":[1,2]}}}])",
          true);
  const std::vector<ToolCall> merged = calls.calls();
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].id, "a");
  EXPECT_EQ(merged[1].id, "b");
  EXPECT_EQ(merged[1].arguments, R"({"k":[1,2]})") << "an object is kept as its JSON text";
}

TEST(ToolCallAccumulator, DeltasWithoutAnIndexFollowTheirId) {
  ToolCallAccumulator calls;
  addJson(calls, R"([{"id":"a","function":{"name":"f","arguments":"{"}}])");
  addJson(calls, R"([{"function":{"arguments":"}"}}])");
  addJson(calls, R"([{"id":"b","function":{"name":"g","arguments":"{}"}}])");
  const std::vector<ToolCall> merged = calls.calls();
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].arguments, "{}");
  EXPECT_EQ(merged[1].name, "g");
}

// A whole streamed reply: text, then two tool calls whose arguments hold a multi-byte character.
const std::string kArguments0 = "{\"city\":\"Z\xC3\xBCrich\"}";
const std::string kArguments1 = "{\"q\":\"\xE2\x82\xAC 5\"}";

std::string toolStream() {
  std::string stream;
  auto frame = [&](const std::string& delta, const char* finish = "null") {
    stream +=
        R"(data: {"id":"r","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":)" +
        delta + R"(,"finish_reason":)" + finish + "}]}\n\n";
  };
  frame(R"({"role":"assistant","content":"Let me check."})");
  frame(R"({"reasoning_content":"thinking"})");
  auto pieces = [&](int index, const char* id, const char* name, const std::string& arguments) {
    for (std::size_t at = 0; at < arguments.size(); at += 3) {
      std::string piece;
      for (char c : arguments.substr(at, 3)) {
        if (c == '"') piece += '\\';
        piece += c;
      }
      std::string delta = R"({"tool_calls":[{"index":)" + std::to_string(index) + R"(,"id":")" +
                          id + R"(","type":"function","function":{)";
      if (at == 0) delta += std::string(R"("name":")") + name + R"(",)";
      delta += R"("arguments":")" + piece + R"("}}]})";
      frame(delta);
    }
  };
  pieces(0, "call_0", "weather", kArguments0);
  pieces(1, "call_1", "convert", kArguments1);
  frame("{}", R"("tool_calls")");
  stream += "data: [DONE]\n\n";
  return stream;
}

struct Seen {
  std::string text;
  std::string reasoning;
  std::vector<ToolCall> handedOut;
  bool done = false;
};

Seen play(const std::string& stream, std::size_t cut) {
  SseParser parser;
  StreamAccumulator accumulator;
  Seen seen;
  auto onEvent = [&](const SseEvent& event) {
    const Step step = accumulator.onData(event.data);
    EXPECT_NE(step, Step::Malformed) << accumulator.problem();
    if (step == Step::Done) seen.done = true;
    if (step != Step::Content) return true;
    seen.text += accumulator.lastContent();
    seen.reasoning += accumulator.lastReasoning();
    while (ToolCall* call = accumulator.toolCalls().nextComplete())
      seen.handedOut.push_back(*call);
    return true;
  };
  parser.feed(std::string_view(stream).substr(0, cut), onEvent);
  parser.feed(std::string_view(stream).substr(cut), onEvent);
  EXPECT_EQ(accumulator.finishReason(), "tool_calls");
  EXPECT_EQ(accumulator.text(), seen.text);
  return seen;
}

TEST(StreamAccumulatorToolCalls, EveryByteSplitGivesTheSameCalls) {
  const std::string stream = toolStream();
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    const Seen seen = play(stream, cut);
    ASSERT_TRUE(seen.done) << "cut at " << cut;
    EXPECT_EQ(seen.text, "Let me check.");
    EXPECT_EQ(seen.reasoning, "thinking");
    ASSERT_EQ(seen.handedOut.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(seen.handedOut[0].id, "call_0");
    EXPECT_EQ(seen.handedOut[0].name, "weather");
    EXPECT_EQ(seen.handedOut[0].arguments, kArguments0);
    EXPECT_EQ(seen.handedOut[1].id, "call_1");
    EXPECT_EQ(seen.handedOut[1].name, "convert");
    EXPECT_EQ(seen.handedOut[1].arguments, kArguments1);
  }
}

TEST(StreamAccumulatorToolCalls, FedOneByteAtATime) {
  const std::string stream = toolStream();
  SseParser parser;
  StreamAccumulator accumulator;
  std::vector<std::string> order;
  auto onEvent = [&](const SseEvent& event) {
    if (accumulator.onData(event.data) == Step::Content) {
      while (ToolCall* call = accumulator.toolCalls().nextComplete())
        order.push_back(call->id);
    }
    return true;
  };
  for (char byte : stream)
    parser.feed(std::string_view(&byte, 1), onEvent);
  EXPECT_EQ(order, (std::vector<std::string>{"call_0", "call_1"}));
  const std::vector<ToolCall> calls = accumulator.toolCalls().calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].arguments, kArguments0);
  EXPECT_EQ(calls[1].arguments, kArguments1);
}

TEST(StreamAccumulatorToolCalls, RefusalDeltasAreCollectedNotShown) {
  StreamAccumulator stream;
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"role":"assistant","refusal":"I can't "}}]})"),
            Step::Continue);
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"refusal":"help."},"finish_reason":"stop"}]})"),
            Step::Continue);
  EXPECT_EQ(stream.refusal(), "I can't help.");
  EXPECT_EQ(stream.text(), "");
}

TEST(StreamAccumulatorToolCalls, ReasoningFromEitherField) {
  StreamAccumulator stream;
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"reasoning":"a"}}]})"), Step::Content);
  EXPECT_EQ(stream.lastReasoning(), "a");
  EXPECT_EQ(stream.lastContent(), "");
  EXPECT_EQ(stream.onData(R"({"choices":[{"delta":{"reasoning_content":"b","content":"x"}}]})"),
            Step::Content);
  EXPECT_EQ(stream.lastReasoning(), "b");
  EXPECT_EQ(stream.lastContent(), "x");
  EXPECT_EQ(stream.reasoning(), "ab");
}

}  // namespace
}  // namespace agent::bitrouter
