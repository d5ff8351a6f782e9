// Tools on the wire: the request's tools, tool choice and tool history (ChatRequestBuilder and
// ToolsJson), tool calls, reasoning and refusals in replies (ChatResponseParser), the problems of
// a call's arguments (ToolArgumentCheck), the json_object hint line and stream error kinds.
#include <gtest/gtest.h>

#include "chat/ChatRequestBuilder.hpp"
#include "chat/ChatResponseParser.hpp"
#include "chat/HttpErrorMapper.hpp"
#include "chat/StreamMismatch.hpp"
#include "chat/ToolArgumentCheck.hpp"
#include "schema/SchemaCache.hpp"

namespace agent::bitrouter {
namespace {

std::string build(const GenerateTextParams& params, const CompiledSchema* schema = nullptr,
                  bool structured = false) {
  rapidjson::StringBuffer out;
  const auto problem =
      ChatRequestBuilder::build(ChatRequest{"m", params, schema, structured, false}, out);
  EXPECT_FALSE(problem.has_value()) << *problem;
  return std::string(out.GetString(), out.GetSize());
}

ToolDefinition weatherTool() {
  ToolDefinition tool;
  tool.name = "get_weather";
  tool.description = "Weather for a city";
  tool.parameters = R"({"type":"object","properties":{"city":{"type":"string"}},
      "required":["city"]})";
  return tool;
}

TEST(ToolsWire, ToolsWithOnlyTheFieldsSetAndNoChoiceUnlessMade) {
  GenerateTextParams params;
  params.prompt = "hi";
  ToolDefinition bare;
  bare.name = "ping";
  ToolDefinition strict = weatherTool();
  strict.parameters = R"( {"type":"object"} )";
  strict.strict = true;
  params.tools = {bare, strict};
  EXPECT_EQ(build(params),
            R"({"model":"m","tools":[{"type":"function","function":{"name":"ping"}},)"
            R"({"type":"function","function":{"name":"get_weather","description":"Weather for a )"
            R"(city","parameters":{"type":"object"},"strict":true}}],)"
            R"("messages":[{"role":"user","content":"hi"}]})");
}

TEST(ToolsWire, ToolChoiceModesAndParallelCalls) {
  GenerateTextParams params;
  params.prompt = "hi";
  params.tools = {weatherTool()};
  params.toolChoice = ToolChoice{ToolChoice::Mode::None, {}};
  EXPECT_NE(build(params).find(R"("tool_choice":"none",)"), std::string::npos);
  params.toolChoice = ToolChoice{ToolChoice::Mode::Required, {}};
  params.parallelToolCalls = false;
  EXPECT_NE(build(params).find(R"("tool_choice":"required","parallel_tool_calls":false,)"),
            std::string::npos);
  params.toolChoice = ToolChoice{ToolChoice::Mode::Named, "get_weather"};
  EXPECT_NE(
      build(params).find(R"("tool_choice":{"type":"function","function":{"name":"get_weather"}},)"),
      std::string::npos);
}

TEST(ToolsWire, NoToolsMeansNoToolFields) {
  GenerateTextParams params;
  params.prompt = "hi";
  params.parallelToolCalls = true;
  params.toolChoice = ToolChoice{ToolChoice::Mode::Required, {}};
  EXPECT_EQ(build(params), R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
}

TEST(ToolsWire, HistoryWithToolCallsAndResults) {
  GenerateTextParams params;
  ChatMessage assistant("assistant", "");
  assistant.toolCalls = {{"call_1", "get_weather", R"({"city":"Paris"})", ""}};
  ChatMessage result("tool", R"({"temp":21})");
  result.toolCallId = "call_1";
  ChatMessage user("user", "And now?");
  user.name = "alice";
  params.messages = {{"user", "Weather in Paris?"}, assistant, result, user};
  EXPECT_EQ(build(params),
            R"({"model":"m","messages":[{"role":"user","content":"Weather in Paris?"},)"
            R"({"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function",)"
            R"("function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},)"
            R"({"role":"tool","content":"{\"temp\":21}","tool_call_id":"call_1"},)"
            R"({"role":"user","content":"And now?","name":"alice"}]})");
}

TEST(ToolsWire, LocalChecksCatchWhatBitRouterRejects) {
  auto problemOf = [](const GenerateTextParams& params) {
    return ChatRequestBuilder::validate(params).value_or("");
  };
  GenerateTextParams params;
  params.messages = {{"tool", "result"}};
  EXPECT_NE(problemOf(params).find("without toolCallId"), std::string::npos) << problemOf(params);

  ChatMessage assistant("assistant", "");
  assistant.toolCalls = {{"", "f", "{}", ""}};
  params.messages = {assistant};
  EXPECT_NE(problemOf(params).find("has no id"), std::string::npos) << problemOf(params);

  params.messages = {{"robot", "x"}};
  EXPECT_NE(problemOf(params).find("not one of"), std::string::npos);

  params.messages = {};
  params.tools = {weatherTool()};
  params.tools[0].parameters = R"({"type":"object")";
  EXPECT_NE(problemOf(params).find("parameters are not a JSON object"), std::string::npos);
  params.tools[0].parameters = R"(["not","an","object"])";
  EXPECT_NE(problemOf(params).find("parameters are not a JSON object"), std::string::npos);
  params.tools[0].parameters = "{} {}";
  EXPECT_NE(problemOf(params).find("parameters are not a JSON object"), std::string::npos);

  params.tools = {weatherTool()};
  params.toolChoice = ToolChoice{ToolChoice::Mode::Named, "missing"};
  EXPECT_NE(problemOf(params).find("not among the call's tools"), std::string::npos);
  params.toolChoice = ToolChoice{ToolChoice::Mode::Named, "get_weather"};
  EXPECT_EQ(problemOf(params), "");
}

TEST(ToolsWire, JsonObjectModeAddsAHintOnlyWhenNothingMentionsJson) {
  auto schema = CompiledSchema::compile(R"({"type":"object"})");
  ASSERT_TRUE(schema.ok());
  GenerateTextParams params;
  params.prompt = "Describe a cat";
  EXPECT_EQ(build(params, schema.value().get()),
            R"({"model":"m","response_format":{"type":"json_object"},"messages":[{"role":)"
            R"("system","content":"Reply with a JSON object that matches this JSON Schema: )"
            R"({\"type\":\"object\"}"},{"role":"user","content":"Describe a cat"}]})");
  params.system = "Answer in Json.";
  EXPECT_EQ(build(params, schema.value().get()).find("Reply with a JSON object"),
            std::string::npos);
  params.system.reset();
  params.messages = {{"user", "give me JSON"}};
  EXPECT_EQ(build(params, schema.value().get()).find("Reply with a JSON object"),
            std::string::npos);
  params.messages = {{"user", "a cat"}};
  EXPECT_NE(build(params, schema.value().get()).find("Reply with a JSON object"),
            std::string::npos);
  // json_schema mode carries the schema itself: no line.
  EXPECT_EQ(build(params, schema.value().get(), true).find("Reply with a JSON object"),
            std::string::npos);
}

Expected<ChatCompletion> parse(std::string body) {
  return ChatResponseParser::parse(body);
}

TEST(ToolsWire, ReplyWithToolCallsReasoningAndRefusal) {
  auto result = parse(R"({"choices":[{"message":{"role":"assistant","content":"",
      "reasoning_content":"Need the weather.","tool_calls":[{"id":"c1","type":"function",
      "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"c2",
      "type":"function","function":{"name":"get_time","arguments":"{}"}}]},
      "finish_reason":"tool_calls"}]})");
  ASSERT_TRUE(result.ok()) << result.error().message;
  const ChatCompletion& reply = result.value();
  EXPECT_EQ(reply.finishReason, "tool_calls");
  EXPECT_EQ(reply.reasoning, "Need the weather.");
  ASSERT_EQ(reply.toolCalls.size(), 2u);
  EXPECT_EQ(reply.toolCalls[0].id, "c1");
  EXPECT_EQ(reply.toolCalls[0].arguments, R"({"city":"Paris"})");
  EXPECT_EQ(reply.toolCalls[1].name, "get_time");

  auto refused = parse(R"({"choices":[{"message":{"role":"assistant","content":null,
      "refusal":"I can't help with that."},"finish_reason":"stop"}]})");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused.value().refusal, "I can't help with that.");

  auto reasoning = parse(R"({"choices":[{"message":{"content":"4","reasoning":"2+2"},
      "finish_reason":"stop"}]})");
  ASSERT_TRUE(reasoning.ok());
  EXPECT_EQ(reasoning.value().reasoning, "2+2");
}

TEST(ToolsWire, ArgumentProblems) {
  SchemaCache schemas;
  const std::vector<ToolDefinition> tools{weatherTool()};
  const ToolArgumentCheck check(tools, schemas);
  auto problemOf = [&](std::string name, std::string arguments) {
    ToolCall call{"id", std::move(name), std::move(arguments), "stale"};
    check.check(call);
    return call.problem;
  };
  EXPECT_EQ(problemOf("get_weather", R"({"city":"Paris"})"), "");
  EXPECT_NE(problemOf("get_weather", R"({"city":)").find("not a JSON object"), std::string::npos);
  EXPECT_NE(problemOf("get_weather", "[1]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(problemOf("get_weather", "").find("empty"), std::string::npos);
  const std::string mismatch = problemOf("get_weather", R"({"town":"Paris"})");
  EXPECT_NE(mismatch.find("do not match the parameters of 'get_weather'"), std::string::npos)
      << mismatch;
  EXPECT_NE(mismatch.find("city"), std::string::npos) << mismatch;
  EXPECT_NE(problemOf("launch", "{}").find("not among the call's tools"), std::string::npos);
}

TEST(ToolsWire, StreamErrorFramesMapByCodeTypeAndStatus) {
  auto kindOf = [](const std::string& frame) {
    return HttpErrorMapper::kindForStreamError(ErrorEnvelopeParser::parse(frame));
  };
  EXPECT_EQ(kindOf(R"({"error":{"message":"bad key","code":"invalid_api_key"}})"), ErrorKind::Auth);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","type":"invalid_request_error",
      "code":"model_not_found"}})"),
            ErrorKind::NotFound);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","code":"context_length_exceeded"}})"),
            ErrorKind::BadRequest);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","code":"rate_limit_exceeded"}})"),
            ErrorKind::RateLimited);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","code":"tool_use_failed"}})"), ErrorKind::BadRequest);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","status_code":401}})"), ErrorKind::Auth);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","status_code":"404"}})"), ErrorKind::NotFound);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","code":429}})"), ErrorKind::RateLimited);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","code":"400"}})"), ErrorKind::BadRequest);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","type":"upstream_error","status_code":422}})"),
            ErrorKind::BadRequest);
  EXPECT_EQ(kindOf(R"({"error":{"message":"x","type":"authentication_error"}})"), ErrorKind::Auth);
  EXPECT_EQ(kindOf(R"({"error":{"message":"upstream timeout","type":"upstream_error",
      "code":"upstream_timeout"}})"),
            ErrorKind::Timeout);
  EXPECT_EQ(kindOf(R"({"error":{"message":"boom","type":"upstream_error"}})"),
            ErrorKind::Unavailable);
  EXPECT_EQ(kindOf(R"({"error":"something odd"})"), ErrorKind::Unavailable);

  const CallFailure auth = HttpErrorMapper::fromStreamError(
      ErrorEnvelopeParser::parse(R"({"error":{"message":"bad key","code":"invalid_api_key"}})"), 0);
  EXPECT_EQ(auth.error.kind, ErrorKind::Auth);
  EXPECT_FALSE(auth.error.retryable);
  EXPECT_EQ(auth.hint.find("retry"), std::string::npos) << auth.hint;
  const CallFailure timeout = HttpErrorMapper::fromStreamError(
      ErrorEnvelopeParser::parse(R"({"error":{"message":"t","code":"upstream_timeout"}})"), 3);
  EXPECT_NE(timeout.hint.find("retry the call"), std::string::npos);
}

TEST(ToolsWire, StreamMismatchSaysWhatCame) {
  EXPECT_TRUE(StreamMismatch::looksLikeEventStream("data: {}\n\n"));
  EXPECT_TRUE(StreamMismatch::looksLikeEventStream(":keepalive\n\n"));
  EXPECT_FALSE(StreamMismatch::looksLikeEventStream("{\"x\":1}"));
  const std::string missing = StreamMismatch::describe("", true, "malformed");
  EXPECT_NE(missing.find("no Content-Type"), std::string::npos) << missing;
  EXPECT_EQ(missing.find("malformed"), std::string::npos) << missing;
  const std::string json = StreamMismatch::describe("application/json", false, "no choices");
  EXPECT_NE(json.find("application/json"), std::string::npos) << json;
}

}  // namespace
}  // namespace agent::bitrouter
