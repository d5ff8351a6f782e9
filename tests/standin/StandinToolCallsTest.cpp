// StandinToolCallsTest: the stand-in sends tool calls, reasoning, refusals and error frames the
// way BitRouter does (contract sections 5 and 6), and validates tool history as BitRouter does.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "BitRouterStandin.hpp"

namespace agent::standin {
namespace {

using Poco::Net::HTTPMessage;
using Poco::Net::HTTPRequest;

struct Reply {
  int status = 0;
  std::string body;
};

const std::vector<ScriptedToolCall> kCalls{
    {"call_a", "get_weather", "{\"city\":\"Z\xC3\xBCrich\"}"},
    {"call_b", "get_time", R"({"zone":"UTC"})"},
};

class StandinToolCallsTest : public ::testing::Test {
 protected:
  void SetUp() override { standin_.start(); }

  Reply post(const std::string& path, const std::string& body) {
    Poco::Net::HTTPClientSession session("127.0.0.1", standin_.port());
    session.setTimeout(Poco::Timespan(5, 0));
    HTTPRequest request(HTTPRequest::HTTP_POST, path, HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Reply reply;
    Poco::StreamCopier::copyToString(in, reply.body);
    reply.status = response.getStatus();
    return reply;
  }

  Reply chat(const std::string& messages = R"([{"role":"user","content":"hi"}])",
             bool stream = false) {
    return post("/v1/chat/completions", R"({"model":"gpt-4o","messages":)" + messages +
                                            (stream ? R"(,"stream":true})" : "}"));
  }

  BitRouterStandin standin_;
};

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

std::string toJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

// The data payloads of a stream body, [DONE] included.
std::vector<std::string> dataFrames(const std::string& body) {
  std::vector<std::string> frames;
  for (std::size_t at = 0; (at = body.find("data: ", at)) != std::string::npos;) {
    const std::size_t end = body.find("\n\n", at);
    frames.push_back(body.substr(at + 6, end - at - 6));
    at = end;
  }
  return frames;
}

// What the deltas of a stream add up to.
struct StreamSummary {
  std::string content;
  std::string reasoning;
  std::string refusal;
  std::string finishReason;
  std::map<int, std::string> arguments;  // by index
  std::map<int, int> namedDeltas;        // deltas carrying a name, by index
  std::vector<int> indexOrder;           // the index of each tool-call delta
  std::vector<std::string> errorFrames;
  bool everyDeltaHasId = true;
};

StreamSummary summarize(const std::string& body) {
  StreamSummary summary;
  for (const std::string& frame : dataFrames(body)) {
    if (frame == "[DONE]") continue;
    const rapidjson::Document chunk = parse(frame);
    if (chunk.HasMember("error")) {
      summary.errorFrames.push_back(frame);
      continue;
    }
    const rapidjson::Value& choice = chunk["choices"][0];
    if (choice["finish_reason"].IsString())
      summary.finishReason = choice["finish_reason"].GetString();
    const rapidjson::Value& delta = choice["delta"];
    if (delta.HasMember("content")) summary.content += delta["content"].GetString();
    if (delta.HasMember("reasoning_content")) {
      summary.reasoning += delta["reasoning_content"].GetString();
    }
    if (delta.HasMember("refusal")) summary.refusal += delta["refusal"].GetString();
    if (!delta.HasMember("tool_calls")) continue;
    for (const auto& call : delta["tool_calls"].GetArray()) {
      const int index = call["index"].GetInt();
      summary.indexOrder.push_back(index);
      summary.everyDeltaHasId &= call.HasMember("id") && call.HasMember("type");
      const rapidjson::Value& function = call["function"];
      if (function.HasMember("name")) ++summary.namedDeltas[index];
      summary.arguments[index] += function["arguments"].GetString();
    }
  }
  return summary;
}

TEST_F(StandinToolCallsTest, NonStreamedToolCalls) {
  standin_.script({.toolCalls = kCalls});
  const Reply reply = chat();
  ASSERT_EQ(reply.status, 200) << reply.body;
  const rapidjson::Document json = parse(reply.body);
  const rapidjson::Value& choice = json["choices"][0];
  EXPECT_EQ(std::string(choice["finish_reason"].GetString()), "tool_calls");
  EXPECT_EQ(std::string(choice["message"]["content"].GetString()), "") << "never null";
  EXPECT_EQ(toJson(choice["message"]["tool_calls"]),
            "[{\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            "\"arguments\":\"{\\\"city\\\":\\\"Z\xC3\xBCrich\\\"}\"}},{\"id\":\"call_b\",\"type\":"
            "\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{\\\"zone\\\":"
            "\\\"UTC\\\"}\"}}]");
}

TEST_F(StandinToolCallsTest, StreamedToolCallsSplitAtEveryByteNameOnTheFirstDelta) {
  standin_.script({.content = "Checking.", .toolCalls = kCalls, .pieceBytes = 1});
  const Reply reply = chat(R"([{"role":"user","content":"hi"}])", true);
  ASSERT_EQ(reply.status, 200) << reply.body;
  StreamSummary summary = summarize(reply.body);
  EXPECT_EQ(summary.content, "Checking.");
  EXPECT_EQ(summary.finishReason, "tool_calls");
  EXPECT_EQ(summary.arguments[0], kCalls[0].arguments);
  EXPECT_EQ(summary.arguments[1], kCalls[1].arguments);
  EXPECT_EQ(summary.namedDeltas[0], 1);
  EXPECT_EQ(summary.namedDeltas[1], 1);
  EXPECT_TRUE(summary.everyDeltaHasId);
  EXPECT_EQ(summary.indexOrder.size(), kCalls[0].arguments.size() + kCalls[1].arguments.size());
  EXPECT_EQ(summary.indexOrder.front(), 0);
  EXPECT_EQ(summary.indexOrder.back(), 1);
}

TEST_F(StandinToolCallsTest, ParallelCallsInterleavedByIndex) {
  standin_.script({.toolCalls = kCalls,
                   .pieceBytes = 4,
                   .interleaveToolCalls = true,
                   .repeatToolCallNames = true});
  StreamSummary summary = summarize(chat(R"([{"role":"user","content":"x"}])", true).body);
  ASSERT_GE(summary.indexOrder.size(), 4u);
  EXPECT_EQ(summary.indexOrder[0], 0);
  EXPECT_EQ(summary.indexOrder[1], 1);
  EXPECT_EQ(summary.indexOrder[2], 0);
  EXPECT_EQ(summary.arguments[0], kCalls[0].arguments);
  EXPECT_EQ(summary.arguments[1], kCalls[1].arguments);
  EXPECT_GT(summary.namedDeltas[0], 1) << "names repeat on every delta";
}

TEST_F(StandinToolCallsTest, ReasoningComesBeforeTheText) {
  standin_.script({.content = "Four.", .reasoning = "2+2=4"});
  const rapidjson::Document json = parse(chat().body);
  EXPECT_EQ(std::string(json["choices"][0]["message"]["reasoning_content"].GetString()), "2+2=4");

  standin_.script({.content = "Four.", .reasoning = "2+2=4"});
  const std::string body = chat(R"([{"role":"user","content":"x"}])", true).body;
  StreamSummary summary = summarize(body);
  EXPECT_EQ(summary.reasoning, "2+2=4");
  EXPECT_EQ(summary.content, "Four.");
  EXPECT_LT(body.find("reasoning_content"), body.find("\"content\"")) << body;
}

TEST_F(StandinToolCallsTest, RefusalsFoldedAsBitRouterDoesOrRaw) {
  standin_.script({.refusal = "No."});
  rapidjson::Document folded = parse(chat().body);
  EXPECT_EQ(std::string(folded["choices"][0]["message"]["content"].GetString()), "No.");
  EXPECT_EQ(std::string(folded["choices"][0]["finish_reason"].GetString()), "content_filter");

  standin_.script({.refusal = "No.", .rawRefusal = true});
  rapidjson::Document raw = parse(chat().body);
  EXPECT_TRUE(raw["choices"][0]["message"]["content"].IsNull());
  EXPECT_EQ(std::string(raw["choices"][0]["message"]["refusal"].GetString()), "No.");

  standin_.script({.refusal = "Not doing that."});
  StreamSummary streamed = summarize(chat(R"([{"role":"user","content":"x"}])", true).body);
  EXPECT_EQ(streamed.content, "Not doing that.");
  EXPECT_EQ(streamed.finishReason, "content_filter");

  standin_.script({.refusal = "Not doing that.", .rawRefusal = true});
  streamed = summarize(chat(R"([{"role":"user","content":"x"}])", true).body);
  EXPECT_EQ(streamed.content, "");
  EXPECT_EQ(streamed.refusal, "Not doing that.");
  EXPECT_EQ(streamed.finishReason, "stop");
}

TEST_F(StandinToolCallsTest, ScriptedErrorFrameIsSentVerbatim) {
  const std::string frame = R"({"error":{"message":"bad key","code":"invalid_api_key"}})";
  standin_.script({.errorAfterFrames = 0, .streamErrorJson = frame});
  StreamSummary summary = summarize(chat(R"([{"role":"user","content":"x"}])", true).body);
  ASSERT_EQ(summary.errorFrames.size(), 1u);
  EXPECT_EQ(summary.errorFrames[0], frame);
}

TEST_F(StandinToolCallsTest, ToolHistoryIsValidatedAsBitRouterDoes) {
  const Reply ok = chat(R"([{"role":"user","content":"hi"},
      {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function",
       "function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","content":"42","tool_call_id":"c1"}])");
  EXPECT_EQ(ok.status, 200) << ok.body;

  const Reply noCallId = chat(R"([{"role":"tool","content":"42"}])");
  EXPECT_EQ(noCallId.status, 400);
  EXPECT_NE(noCallId.body.find("tool_call_id"), std::string::npos) << noCallId.body;

  const Reply noId = chat(R"([{"role":"assistant","content":"","tool_calls":[{"type":"function",
      "function":{"name":"f","arguments":"{}"}}]}])");
  EXPECT_EQ(noId.status, 400);
  EXPECT_NE(noId.body.find("missing field `id`"), std::string::npos) << noId.body;

  const Reply objectArguments = chat(R"([{"role":"assistant","content":"","tool_calls":[{"id":"c",
      "type":"function","function":{"name":"f","arguments":{}}}]}])");
  EXPECT_EQ(objectArguments.status, 400) << "arguments travel as a string";

  const Reply badRole = chat(R"([{"role":"robot","content":"x"}])");
  EXPECT_EQ(badRole.status, 400);
  EXPECT_NE(badRole.body.find("unknown message role"), std::string::npos) << badRole.body;

  const Reply nullParallel = post("/v1/chat/completions",
                                  R"({"model":"gpt-4o","messages":[{"role":"user","content":"x"}],
                                      "parallel_tool_calls":null})");
  EXPECT_EQ(nullParallel.status, 400) << nullParallel.body;
}

TEST_F(StandinToolCallsTest, AdminScriptsCarryToolCalls) {
  const Reply scripted = post("/_standin/script",
                              R"({"toolCalls":[{"id":"c9","name":"f","arguments":"{}"}],
                                  "reasoning":"r","pieceBytes":1,"interleaveToolCalls":true})");
  ASSERT_EQ(scripted.status, 200) << scripted.body;
  const rapidjson::Document json = parse(chat().body);
  EXPECT_EQ(std::string(json["choices"][0]["message"]["tool_calls"][0]["id"].GetString()), "c9");
  EXPECT_EQ(post("/_standin/script", R"({"toolCalls":[{"id":1}]})").status, 400);
}

}  // namespace
}  // namespace agent::standin
