// Tool calls, refusals and reasoning end to end (issue #12): the real host loads the real
// bitrouter.so, which talks real HTTP to the stand-in. A model's tool calls reach the caller
// intact, streamed or not; a conversation with tool results goes back in the shape BitRouter
// validates; a refusal is never an empty success; in-stream errors have their real kind.
#include <string>
#include <vector>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

using standin::ScriptedToolCall;

const std::string kWeatherArguments =
    "{\"city\":\"Z\xC3\xBCrich\",\"unit\":\"\xC2\xB0"
    "C\"}";
const std::string kTimeArguments = R"({"zone":"Europe/Zurich"})";

const std::vector<ScriptedToolCall> kTwoCalls{
    {"call_w", "get_weather", kWeatherArguments},
    {"call_t", "get_time", kTimeArguments},
};

std::vector<ToolDefinition> tools() {
  ToolDefinition weather;
  weather.name = "get_weather";
  weather.description = "Current weather";
  weather.parameters = R"({"type":"object","properties":{"city":{"type":"string"},
      "unit":{"type":"string"}},"required":["city"]})";
  ToolDefinition time;
  time.name = "get_time";
  time.parameters = R"({"type":"object","properties":{"zone":{"type":"string"}}})";
  time.strict = false;
  return {weather, time};
}

class ToolCallsTest : public BitRouterIntegrationTest {
 protected:
  GenerateTextParams toolParams(bool stream) {
    GenerateTextParams params = withPrompt("Weather and time in Zurich?");
    params.tools = tools();
    if (stream) {
      params.stream = true;
      params.onChunk = [this](std::string_view chunk) {
        chunks_.emplace_back(chunk);
        return true;
      };
      params.onReasoningChunk = [this](std::string_view chunk) {
        reasoningChunks_.emplace_back(chunk);
        return true;
      };
      params.onToolCall = [this](const ToolCall& call) {
        delivered_.push_back(call);
        return true;
      };
    }
    return params;
  }

  static void expectTwoCalls(const std::vector<ToolCall>& calls) {
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].id, "call_w");
    EXPECT_EQ(calls[0].name, "get_weather");
    EXPECT_EQ(calls[0].arguments, kWeatherArguments);
    EXPECT_EQ(calls[0].problem, "");
    EXPECT_EQ(calls[1].id, "call_t");
    EXPECT_EQ(calls[1].name, "get_time");
    EXPECT_EQ(calls[1].arguments, kTimeArguments);
    EXPECT_EQ(calls[1].problem, "");
  }

  std::string joined(const std::vector<std::string>& pieces) const {
    std::string all;
    for (const std::string& piece : pieces)
      all += piece;
    return all;
  }

  std::vector<std::string> chunks_;
  std::vector<std::string> reasoningChunks_;
  std::vector<ToolCall> delivered_;
};

TEST_F(ToolCallsTest, NonStreamedToolCallsReachTheCallerAndToolsAreSentInShape) {
  makeHost();
  standin().script({.toolCalls = kTwoCalls});
  GenerateTextParams params = toolParams(false);
  params.toolChoice = ToolChoice{ToolChoice::Mode::Required, {}};
  params.parallelToolCalls = true;
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, "");
  EXPECT_EQ(result.output().finishReason, "tool_calls");
  expectTwoCalls(result.output().toolCalls);

  const rapidjson::Document body = lastChatBody();
  EXPECT_EQ(toJson(body["tools"]),
            R"([{"type":"function","function":{"name":"get_weather","description":"Current )"
            R"(weather","parameters":{"type":"object","properties":{"city":{"type":"string"},)"
            R"("unit":{"type":"string"}},"required":["city"]}}},{"type":"function","function":)"
            R"({"name":"get_time","parameters":{"type":"object","properties":{"zone":{"type":)"
            R"("string"}}},"strict":false}}])");
  EXPECT_EQ(toJson(body["tool_choice"]), R"("required")");
  EXPECT_EQ(toJson(body["parallel_tool_calls"]), "true");
}

TEST_F(ToolCallsTest, StreamedToolCallsSplitAtEveryByte) {
  makeHost();
  standin().script({.toolCalls = kTwoCalls, .pieceBytes = 1});
  const ModelResult result = call(ModelType::TextSmall, toolParams(true));
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().finishReason, "tool_calls");
  expectTwoCalls(result.output().toolCalls);
  expectTwoCalls(delivered_);  // each once, whole, in order
  EXPECT_TRUE(chunks_.empty());
}

TEST_F(ToolCallsTest, ParallelToolCallsInterleavedByIndex) {
  makeHost();
  standin().script({.toolCalls = kTwoCalls,
                    .pieceBytes = 2,
                    .interleaveToolCalls = true,
                    .repeatToolCallNames = true});
  const ModelResult result = call(ModelType::TextSmall, toolParams(true));
  ASSERT_TRUE(result.ok()) << describe(result);
  expectTwoCalls(result.output().toolCalls);
  expectTwoCalls(delivered_);
}

TEST_F(ToolCallsTest, TextThenAToolCallKeepsTheText) {
  makeHost();
  const std::vector<ScriptedToolCall> one{kTwoCalls[1]};
  standin().script({.content = "Let me check.", .toolCalls = one, .pieceBytes = 3});
  const ModelResult streamed = call(ModelType::TextSmall, toolParams(true));
  ASSERT_TRUE(streamed.ok()) << describe(streamed);
  EXPECT_EQ(streamed.output().text, "Let me check.");
  EXPECT_EQ(joined(chunks_), "Let me check.");
  ASSERT_EQ(streamed.output().toolCalls.size(), 1u);
  EXPECT_EQ(streamed.output().toolCalls[0].arguments, kTimeArguments);
  ASSERT_EQ(delivered_.size(), 1u);

  standin().script({.content = "Let me check.", .toolCalls = one});
  const ModelResult plain = call(ModelType::TextSmall, toolParams(false));
  ASSERT_TRUE(plain.ok()) << describe(plain);
  EXPECT_EQ(plain.output().text, "Let me check.");
  ASSERT_EQ(plain.output().toolCalls.size(), 1u);
  EXPECT_EQ(plain.output().toolCalls[0].id, "call_t");
}

TEST_F(ToolCallsTest, ReasoningThenText) {
  makeHost();
  standin().script({.content = "It is 4.", .reasoning = "Two plus two is four."});
  const ModelResult streamed = call(ModelType::TextSmall, toolParams(true));
  ASSERT_TRUE(streamed.ok()) << describe(streamed);
  EXPECT_EQ(streamed.output().reasoning, "Two plus two is four.");
  EXPECT_EQ(joined(reasoningChunks_), "Two plus two is four.");
  EXPECT_GT(reasoningChunks_.size(), 1u);
  EXPECT_EQ(streamed.output().text, "It is 4.");
  EXPECT_EQ(joined(chunks_), "It is 4.");

  standin().script({.content = "It is 4.", .reasoning = "Two plus two is four."});
  const ModelResult plain = call(ModelType::TextSmall, toolParams(false));
  ASSERT_TRUE(plain.ok()) << describe(plain);
  EXPECT_EQ(plain.output().reasoning, "Two plus two is four.");
  EXPECT_EQ(plain.output().text, "It is 4.");
}

TEST_F(ToolCallsTest, RefusalIsNeverAnEmptySuccessAndIsNotRetried) {
  makeHost({{"MODEL_FAILOVER", "true"}});
  for (const bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streamed" : "not streamed");
    standin().resetRecords();
    standin().script({.refusal = "I can't help with that.", .rawRefusal = true});
    const ModelResult result = call(ModelType::TextSmall, toolParams(stream));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::Refused) << describe(result);
    EXPECT_EQ(result.error().message, "I can't help with that.");
    EXPECT_FALSE(result.error().retryable);
    EXPECT_EQ(standin().chatRequestCount(), 1u);
  }
  EXPECT_TRUE(chunks_.empty()) << "a refusal is not text";
  EXPECT_TRUE(modelUsed().empty());
}

TEST_F(ToolCallsTest, FilteredReplyKeepsItsTextUnlessASchemaWasAsked) {
  makeHost();
  for (const bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streamed" : "not streamed");
    standin().script({.refusal = "I must decline."});  // BitRouter folds it into the content
    const ModelResult result = call(ModelType::TextSmall, toolParams(stream));
    ASSERT_TRUE(result.ok()) << describe(result);
    EXPECT_EQ(result.output().text, "I must decline.");
    EXPECT_EQ(result.output().finishReason, "content_filter");

    standin().script({.refusal = "I must decline."});
    GenerateTextParams structured = toolParams(stream);
    structured.responseSchema = R"({"type":"object"})";
    const ModelResult refused = call(ModelType::TextSmall, structured);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, ErrorKind::Refused) << describe(refused);
    EXPECT_EQ(refused.error().message, "I must decline.");
  }
}

TEST_F(ToolCallsTest, MalformedArgumentsAreAProblemNotAFailure) {
  makeHost();
  const std::vector<ScriptedToolCall> bad{
      {"c1", "get_weather", R"({"city":)"},
      {"c2", "get_weather", R"({"town":"Bern"})"},
      {"c3", "launch_rocket", "{}"},
  };
  for (const bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streamed" : "not streamed");
    delivered_.clear();
    standin().script({.toolCalls = bad, .pieceBytes = 4});
    const ModelResult result = call(ModelType::TextSmall, toolParams(stream));
    ASSERT_TRUE(result.ok()) << describe(result);
    const std::vector<ToolCall>& calls = result.output().toolCalls;
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_TRUE(contains(calls[0].problem, "not a JSON object")) << calls[0].problem;
    EXPECT_EQ(calls[0].arguments, R"({"city":)");
    EXPECT_TRUE(contains(calls[1].problem, "do not match the parameters of 'get_weather'"))
        << calls[1].problem;
    EXPECT_TRUE(contains(calls[2].problem, "not among the call's tools")) << calls[2].problem;
    if (stream) {
      // c2 is whole once c3 starts; c1's arguments never are, so it comes at the finish.
      ASSERT_EQ(delivered_.size(), 3u);
      EXPECT_EQ(delivered_[0].id, "c2");
      EXPECT_EQ(delivered_[0].problem, calls[1].problem) << "the callback sees the problem too";
      EXPECT_EQ(delivered_[1].id, "c1");
      EXPECT_EQ(delivered_[2].id, "c3");
    }
  }
}

TEST_F(ToolCallsTest, AConversationWithToolResultsGoesBackInTheExactShape) {
  makeHost();
  GenerateTextParams params = toolParams(false);
  ChatMessage assistant("assistant", "");
  assistant.toolCalls = {{"call_w", "get_weather", kWeatherArguments, ""},
                         {"call_t", "get_time", kTimeArguments, ""}};
  ChatMessage weather("tool", R"({"temp":3})");
  weather.toolCallId = "call_w";
  ChatMessage time("tool", "10:42");
  time.toolCallId = "call_t";
  time.name = "get_time";
  params.messages = {{"user", "Weather and time in Zurich?"}, assistant, weather, time};
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_TRUE(result.ok()) << describe(result);  // the stand-in validates as BitRouter does

  const rapidjson::Document body = lastChatBody();
  const rapidjson::Document expected = parseJson(
      R"([{"role":"user","content":"Weather and time in Zurich?"},
          {"role":"assistant","content":"","tool_calls":[
            {"id":"call_w","type":"function","function":{"name":"get_weather","arguments":)" +
      toJson(rapidjson::Value(kWeatherArguments.c_str(),
                              static_cast<rapidjson::SizeType>(kWeatherArguments.size()))) +
      R"(}},
            {"id":"call_t","type":"function","function":{"name":"get_time","arguments":)"
      R"("{\"zone\":\"Europe/Zurich\"}"}}]},
          {"role":"tool","content":"{\"temp\":3}","tool_call_id":"call_w"},
          {"role":"tool","content":"10:42","name":"get_time","tool_call_id":"call_t"}])");
  EXPECT_TRUE(body["messages"] == expected) << toJson(body["messages"]);
}

TEST_F(ToolCallsTest, ErrorFramesHaveTheirRealKind) {
  makeHost();
  struct Case {
    std::string frame;
    ErrorKind kind;
    bool retryHint;
  };
  const std::vector<Case> cases{
      {R"({"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}})",
       ErrorKind::Auth, false},
      {R"({"error":{"message":"no such model","code":"model_not_found"}})", ErrorKind::NotFound,
       false},
      {R"({"error":{"message":"too long","code":"context_length_exceeded"}})",
       ErrorKind::BadRequest, false},
      {R"({"error":{"message":"slow down","code":"rate_limit_exceeded"}})", ErrorKind::RateLimited,
       true},
      {R"({"error":{"message":"tool failed","code":"tool_use_failed"}})", ErrorKind::BadRequest,
       false},
      {R"({"error":{"message":"denied","status_code":403}})", ErrorKind::Forbidden, false},
      {R"({"error":{"message":"payment","status_code":"402"}})", ErrorKind::PaymentRequired, false},
      {R"({"error":{"message":"upstream timeout","type":"upstream_error",)"
       R"("code":"upstream_timeout"}})",
       ErrorKind::Timeout, true},
      {R"({"error":{"message":"something broke","type":"upstream_error"}})", ErrorKind::Unavailable,
       true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.frame);
    standin().resetRecords();
    standin().script({.errorAfterFrames = 1, .streamErrorJson = c.frame});
    const ModelResult result = call(ModelType::TextSmall, toolParams(true));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, c.kind) << describe(result);
    EXPECT_EQ(contains(result.error().message, "retry"), c.retryHint) << result.error().message;
    EXPECT_EQ(standin().chatRequestCount(), 1u) << "a started stream is never retried";
  }
}

TEST_F(ToolCallsTest, AStreamWithoutContentTypeIsNamedAsSuch) {
  makeHost();
  standin().script({.contentType = ""});  // an empty value removes the header
  const ModelResult result = call(ModelType::TextSmall, toolParams(true));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
  EXPECT_TRUE(contains(result.error().message, "no Content-Type")) << result.error().message;
  EXPECT_FALSE(contains(result.error().message, "malformed")) << result.error().message;
}

TEST_F(ToolCallsTest, AJsonBodyWhereAStreamWasExpectedIsNamedAsSuch) {
  makeHost();
  standin().script({.body = R"({"unexpected":true})", .contentType = "application/json"});
  const ModelResult result = call(ModelType::TextSmall, toolParams(true));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
  EXPECT_TRUE(contains(result.error().message,
                       "Content-Type 'application/json' instead of an "
                       "event stream"))
      << result.error().message;
}

TEST_F(ToolCallsTest, JsonObjectModeAsksForJsonWhenNothingMentionsIt) {
  makeHost();
  GenerateTextParams params = withPrompt("Describe a cat");
  params.responseSchema = R"({"type":"object","properties":{"message":{"type":"string"}}})";
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_TRUE(result.ok()) << describe(result);
  const rapidjson::Document body = lastChatBody();
  ASSERT_EQ(body["messages"].Size(), 2u) << toJson(body);
  EXPECT_EQ(toJson(body["messages"][0]),
            R"({"role":"system","content":"Reply with a JSON object that matches this JSON )"
            R"(Schema: {\"type\":\"object\",\"properties\":{\"message\":{\"type\":)"
            R"(\"string\"}}}"})");
}

TEST_F(ToolCallsTest, APerCallModelReplacesTheTiersModel) {
  makeHost();
  GenerateTextParams params = withPrompt("hi");
  params.model = "claude-sonnet-4";
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().model, "claude-sonnet-4");
  EXPECT_EQ(toJson(lastChatBody()["model"]), R"("claude-sonnet-4")");
  const std::vector<ModelUsedEvent> events = modelUsed();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].model, "claude-sonnet-4");

  params.model = "no-such-model";
  const ModelResult missing = call(ModelType::TextSmall, params);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::NotFound);
  EXPECT_TRUE(contains(missing.error().message, "the call's model parameter"))
      << missing.error().message;
}

}  // namespace
}  // namespace agent::bitrouter::integration
