#include "chat/ChatRequestBuilder.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

ChatMessage message(std::string role, std::string content) {
  ChatMessage out;
  out.role = std::move(role);
  out.content = std::move(content);
  return out;
}

std::string build(std::string_view model, const GenerateTextParams& params,
                  const CompiledSchema* schema = nullptr, bool structured = false,
                  bool stream = false) {
  rapidjson::StringBuffer out;
  const auto problem =
      ChatRequestBuilder::build(ChatRequest{model, params, schema, structured, stream}, out);
  EXPECT_FALSE(problem.has_value()) << *problem;
  return std::string(out.GetString(), out.GetSize());
}

TEST(ChatRequestBuilder, TextSmallDefaultGolden) {
  GenerateTextParams params;
  params.prompt = "Say hello";
  EXPECT_EQ(build("gpt-4o-mini", params),
            R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]})");
}

TEST(ChatRequestBuilder, TextLargeAllParamsGolden) {
  GenerateTextParams params;
  params.prompt = "Write one short sentence about routers.";
  params.system = "You are a terse assistant.";
  params.maxTokens = 256;
  params.temperature = 0.3;
  params.topP = 0.9;
  params.frequencyPenalty = 0.1;
  params.presencePenalty = 0.2;
  params.stopSequences = std::vector<std::string>{"END", "STOP"};
  params.seed = 42;
  EXPECT_EQ(
      build("gpt-4o", params),
      R"({"model":"gpt-4o","max_tokens":256,"temperature":0.3,"top_p":0.9,"frequency_penalty":0.1,)"
      R"("presence_penalty":0.2,"stop":["END","STOP"],"seed":42,"messages":[{"role":"system",)"
      R"("content":"You are a terse assistant."},{"role":"user","content":"Write one short )"
      R"(sentence about routers."}]})");
}

TEST(ChatRequestBuilder, UnsupportedAndRuntimeOnlyParamsAreNotSent) {
  GenerateTextParams params;
  params.prompt = "hi";
  params.user = "Agent Smith";
  params.topK = 40;
  params.minP = 0.1;
  params.repetitionPenalty = 1.1;
  params.stopSequences = std::vector<std::string>{};  // empty list: omitted
  params.stream = true;                               // stream only when the client streams
  EXPECT_EQ(build("m", params), R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
}

TEST(ChatRequestBuilder, MessagesOverrideThePrompt) {
  GenerateTextParams params;
  params.prompt = "ignored";
  params.messages = {message("system", "Be brief."), message("user", "Hi"),
                     message("assistant", "Hello!"), message("user", "Bye")};
  EXPECT_EQ(build("m", params),
            R"({"model":"m","messages":[{"role":"system","content":"Be brief."},)"
            R"({"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},)"
            R"({"role":"user","content":"Bye"}]})");
}

TEST(ChatRequestBuilder, SystemJoinsMessagesThatHaveNoSystemPrompt) {
  GenerateTextParams params;
  params.system = "S";
  params.messages = {message("user", "Hi")};
  EXPECT_EQ(
      build("m", params),
      R"({"model":"m","messages":[{"role":"system","content":"S"},{"role":"user","content":"Hi"}]})");
  params.messages = {message("developer", "D"), message("user", "Hi")};
  EXPECT_EQ(
      build("m", params),
      R"({"model":"m","messages":[{"role":"developer","content":"D"},{"role":"user","content":"Hi"}]})");
}

TEST(ChatRequestBuilder, EmptySystemIsNotSent) {
  GenerateTextParams params;
  params.prompt = "p";
  params.system = "";
  EXPECT_EQ(build("m", params), R"({"model":"m","messages":[{"role":"user","content":"p"}]})");
}

TEST(ChatRequestBuilder, StreamTrueComesLast) {
  GenerateTextParams params;
  params.prompt = "p";
  params.maxTokens = 5;
  EXPECT_EQ(
      build("m", params, nullptr, false, true),
      R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"p"}],"stream":true})");
}

TEST(ChatRequestBuilder, JsonObjectFormatForAResponseSchema) {
  auto schema = CompiledSchema::compile(R"({ "type": "object",
      "properties": {"message": {"type": "string"}}, "required": ["message"] })");
  ASSERT_TRUE(schema.ok());
  GenerateTextParams params;
  params.prompt = "p as JSON";  // mentions JSON: no hint line (see ToolsWireTest)
  params.temperature = 0.3;
  params.maxTokens = 100;  // unlike the original, forwarded with a schema too
  EXPECT_EQ(build("gpt-4o", params, schema.value().get(), false),
            R"({"model":"gpt-4o","max_tokens":100,"temperature":0.3,)"
            R"("response_format":{"type":"json_object"},"messages":[{"role":"user","content":)"
            R"("p as JSON"}]})");
}

TEST(ChatRequestBuilder, StrictJsonSchemaFormatWhenStructuredOutputsAreOn) {
  auto schema = CompiledSchema::compile(R"({ "type": "object",
      "properties": {"message": {"type": "string"}}, "required": ["message"],
      "additionalProperties": false })");
  ASSERT_TRUE(schema.ok());
  GenerateTextParams params;
  params.prompt = "p";
  EXPECT_EQ(
      build("gpt-4o", params, schema.value().get(), true),
      R"({"model":"gpt-4o","response_format":{"type":"json_schema","json_schema":{)"
      R"("name":"response","strict":true,"schema":{"type":"object","properties":)"
      R"({"message":{"type":"string"}},"required":["message"],"additionalProperties":false}}},)"
      R"("messages":[{"role":"user","content":"p"}]})");
}

TEST(ChatRequestBuilder, EscapesTextAndKeepsUnicode) {
  GenerateTextParams params;
  params.prompt = "quote \" backslash \\ newline \n tab \t emoji \xF0\x9F\x98\x80";
  EXPECT_EQ(build("m", params),
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"quote \\\" backslash "
            "\\\\ newline \\n tab \\t emoji \xF0\x9F\x98\x80\"}]}");
}

TEST(ChatRequestBuilder, InvalidUtf8IsAProblemNotABrokenBody) {
  GenerateTextParams params;
  params.prompt = "bad \xC3\x28 bytes";
  rapidjson::StringBuffer out;
  const auto problem = ChatRequestBuilder::build(ChatRequest{"m", params}, out);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(*problem, "the prompt is not valid UTF-8");
}

TEST(ChatRequestBuilder, ReusesTheBufferBetweenCalls) {
  rapidjson::StringBuffer out;
  GenerateTextParams params;
  params.prompt = "first, a longer prompt";
  ASSERT_FALSE(ChatRequestBuilder::build(ChatRequest{"m", params}, out));
  params.prompt = "x";
  ASSERT_FALSE(ChatRequestBuilder::build(ChatRequest{"m", params}, out));
  EXPECT_EQ(std::string(out.GetString(), out.GetSize()),
            R"({"model":"m","messages":[{"role":"user","content":"x"}]})");
}

TEST(ChatRequestBuilder, ValidateRejectsWhatTheAiSdkRejected) {
  GenerateTextParams params;
  params.maxTokens = 0;
  EXPECT_EQ(ChatRequestBuilder::validate(params), "maxTokens must be at least 1 (got 0)");
  params.maxTokens = -1;
  EXPECT_EQ(ChatRequestBuilder::validate(params), "maxTokens must be at least 1 (got -1)");
  params.maxTokens = 5'000'000'000;
  EXPECT_TRUE(ChatRequestBuilder::validate(params).has_value());
  params.maxTokens = 1;
  EXPECT_FALSE(ChatRequestBuilder::validate(params).has_value());
  params.temperature = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(ChatRequestBuilder::validate(params), "temperature must be a finite number");
  params.temperature.reset();
  params.topP = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ChatRequestBuilder::validate(params), "topP must be a finite number");
}

TEST(ChatRequestBuilder, ValidateRejectsRolesBitRouterWouldReject) {
  GenerateTextParams params;
  params.messages = {message("user", "a"), message("bot", "b")};
  EXPECT_EQ(ChatRequestBuilder::validate(params),
            "messages[1].role 'bot' is not one of system, developer, user, assistant, tool");
  params.messages = {message("tool", "result")};
  EXPECT_NE(ChatRequestBuilder::validate(params)->find("tool_call_id"), std::string::npos);
}

}  // namespace
}  // namespace agent::bitrouter
