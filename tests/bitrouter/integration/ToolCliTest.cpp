// agent-host generate with tools, conversations and --json, as users run it: the real binary and
// bitrouter.so against the stand-in, tool commands as real shell commands.
#include <string>
#include <vector>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

constexpr const char* kWeatherTool =
    R"([{"type":"function","function":{"name":"get_weather","description":"Weather in a city",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},)"
    R"("required":["city"]}}}])";

class ToolCliTest : public BitRouterIntegrationTest {
 protected:
  ProcessResult run(std::vector<std::string> args, std::string input = "", EnvMap extra = {}) {
    std::vector<std::string> full{"--plugins-dir",
                                  preparePlugins(Plugins::BitRouterAndEcho).string()};
    full.insert(full.end(), args.begin(), args.end());
    EnvMap env{{"BITROUTER_BASE_URL", standin().baseUrl()},
               {"BITROUTER_RETRY_BASE_MS", "1"},
               {"BITROUTER_API_KEY", "brvk_secret_for_tools"}};
    for (auto& [key, value] : extra)
      env[key] = value;
    return runProcess(AGENT_HOST_EXE, full, env, input);
  }

  rapidjson::Document requestBody(std::size_t index) const {
    const auto requests = chatRequests();
    return parseJson(requests.at(index).body);
  }
};

TEST_F(ToolCliTest, ToolCallsArePrintedOneLineEach) {
  standin().script({.toolCalls = {{"call_1", "get_weather", R"({"city":"Paris"})"}}});
  const ProcessResult result = run({"generate", "--tools", kWeatherTool, "Weather in Paris?"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "tool call get_weather call_1 {\"city\":\"Paris\"}\n");
  const rapidjson::Document body = requestBody(0);
  EXPECT_STREQ(body["tools"][0]["function"]["name"].GetString(), "get_weather");
  EXPECT_FALSE(body.HasMember("tool_choice")) << "sent although the caller chose none";
}

TEST_F(ToolCliTest, JsonOutputCarriesToolCallsReasoningAndFinishReason) {
  standin().script({.toolCalls = {{"call_1", "get_weather", R"({"town":1})"}},
                    .reasoning = "the user wants weather"});
  const ProcessResult result =
      run({"generate", "--json", "--tools", kWeatherTool, "--tool-choice", "get_weather", "hi"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const rapidjson::Document json = parseJson(result.out);
  EXPECT_STREQ(json["finishReason"].GetString(), "tool_calls");
  EXPECT_STREQ(json["reasoning"].GetString(), "the user wants weather");
  ASSERT_EQ(json["toolCalls"].Size(), 1u);
  EXPECT_STREQ(json["toolCalls"][0]["name"].GetString(), "get_weather");
  EXPECT_TRUE(json["toolCalls"][0].HasMember("problem"));  // "city" is required
  EXPECT_TRUE(contains(result.err, "warning: tool call call_1")) << result.err;
  const rapidjson::Document body = requestBody(0);
  EXPECT_STREQ(body["tool_choice"]["function"]["name"].GetString(), "get_weather");
}

TEST_F(ToolCliTest, ATwoStepToolConversationRunsTheToolCommand) {
  standin().script({.toolCalls = {{"call_1", "get_weather", R"({"city":"Paris"})"}}});
  standin().script({.content = "It is sunny in Paris."});
  // The command sees the arguments on stdin and must not see the agent's secrets.
  const ProcessResult result = run({"generate", "--tools", kWeatherTool, "--tool-command",
                                    "get_weather=printf 'sunny, key=%s, args=' "
                                    "\"${BITROUTER_API_KEY:-none}\"; cat",
                                    "Weather in Paris?"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "It is sunny in Paris.\n");
  ASSERT_EQ(standin().chatRequestCount(), 2u);
  const rapidjson::Document second = requestBody(1);
  const auto& messages = second["messages"];
  ASSERT_EQ(messages.Size(), 3u);
  EXPECT_STREQ(messages[1]["role"].GetString(), "assistant");
  EXPECT_STREQ(messages[1]["tool_calls"][0]["id"].GetString(), "call_1");
  EXPECT_STREQ(messages[2]["role"].GetString(), "tool");
  EXPECT_STREQ(messages[2]["tool_call_id"].GetString(), "call_1");
  EXPECT_STREQ(messages[2]["content"].GetString(), R"(sunny, key=none, args={"city":"Paris"})");
}

TEST_F(ToolCliTest, AFailingToolCommandIsToldToTheModel) {
  standin().script({.toolCalls = {{"call_1", "get_weather", R"({"city":"Atlantis"})"}}});
  standin().script({.content = "I could not find that city."});
  const ProcessResult result =
      run({"generate", "--tools", kWeatherTool, "--tool-command",
           "get_weather=echo 'no such city' >&2; exit 4", "--json", "Weather in Atlantis?"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const rapidjson::Document json = parseJson(result.out);
  EXPECT_EQ(json["steps"].GetInt(), 2);
  const auto& messages = json["messages"];
  EXPECT_STREQ(messages[2]["content"].GetString(),
               "error: the tool command exited with status 4: no such city");
  EXPECT_TRUE(contains(result.err, "tool get_weather failed")) << result.err;
}

TEST_F(ToolCliTest, AConversationFromMessagesGoesOutInTheShapeBitRouterValidates) {
  const std::string messages =
      R"([{"role":"system","content":"be brief"},{"role":"user","content":"Weather?"},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"c9","type":"function",)"
      R"("function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},)"
      R"({"role":"tool","tool_call_id":"c9","content":"snow"}])";
  const ProcessResult result = run({"generate", "--messages", "-", "--model-name", "openai:gpt-4.1",
                                    "--tools", kWeatherTool, "And tomorrow?"},
                                   messages);
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const rapidjson::Document body = requestBody(0);
  EXPECT_STREQ(body["model"].GetString(), "openai:gpt-4.1");
  const auto& sent = body["messages"];
  ASSERT_EQ(sent.Size(), 5u);
  EXPECT_STREQ(sent[2]["content"].GetString(), "");
  EXPECT_STREQ(sent[2]["tool_calls"][0]["function"]["arguments"].GetString(), R"({"city":"Oslo"})");
  EXPECT_STREQ(sent[3]["tool_call_id"].GetString(), "c9");
  EXPECT_STREQ(sent[4]["content"].GetString(), "And tomorrow?");
}

TEST_F(ToolCliTest, BadToolOptionsAreUsageErrors) {
  EXPECT_EQ(run({"generate", "--tools", "[{}]", "hi"}).exitCode, 2);
  EXPECT_EQ(run({"generate", "--tool-choice", "required", "hi"}).exitCode, 2);
  EXPECT_EQ(run({"generate", "--tools", kWeatherTool, "--tool-choice", "nosuch", "hi"}).exitCode,
            2);
  const ProcessResult unknown =
      run({"generate", "--tools", kWeatherTool, "--tool-command", "other=true", "hi"});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_TRUE(contains(unknown.err, "not among the --tools")) << unknown.err;
  EXPECT_EQ(
      run({"generate", "--messages", "-", "hi"}, R"([{"role":"tool","content":"x"}])").exitCode, 2);
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

TEST_F(ToolCliTest, WithJsonAFailureIsJsonOnStdout) {
  standin().script({.status = 429, .errorCode = "rate_limit_exceeded"});
  const ProcessResult result =
      run({"generate", "--json", "hi"}, "", {{"BITROUTER_MAX_RETRIES", "0"}});
  ASSERT_EQ(result.exitCode, 1) << result.err;
  const rapidjson::Document json = parseJson(result.out);
  const auto& error = json["error"];
  EXPECT_STREQ(error["kind"].GetString(), "rate_limited");
  EXPECT_STREQ(error["provider"].GetString(), "bitrouter");
  EXPECT_STREQ(error["modelType"].GetString(), "TEXT_SMALL");
  EXPECT_EQ(error["httpStatus"].GetInt(), 429);
  EXPECT_EQ(error["retryAfterMs"].GetInt64(), 60000);
  EXPECT_TRUE(error["requestId"].IsString());
  EXPECT_TRUE(contains(result.err, "retry after 60000 ms")) << result.err;
}

TEST_F(ToolCliTest, ARefusalIsNeverAnEmptySuccess) {
  standin().script({.refusal = "I can't help with that.", .rawRefusal = true});
  const ProcessResult refused = run({"generate", "hi"});
  EXPECT_EQ(refused.exitCode, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_TRUE(contains(refused.err, "refused: I can't help with that.")) << refused.err;

  standin().script({.refusal = "Filtered."});  // BitRouter's way: content + content_filter
  const ProcessResult filtered = run({"generate", "hi"});
  EXPECT_EQ(filtered.exitCode, 0) << filtered.err;
  EXPECT_EQ(filtered.out, "Filtered.\n");
  EXPECT_TRUE(contains(filtered.err, "content filter")) << filtered.err;
}

TEST_F(ToolCliTest, ASchemaThePluginRefusesIsAUsageErrorAndNothingIsSent) {
  const ProcessResult result =
      run({"generate", "--schema", R"({"type":"object","requried":["a"]})", "hi"});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_TRUE(contains(result.err, "requried")) << result.err;
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

TEST_F(ToolCliTest, ASwitchSettingThatIsNeitherOnNorOffIsAUsageErrorNamingIt) {
  const ProcessResult result =
      run({"generate", "hi"}, "", {{"BITROUTER_STRUCTURED_OUTPUTS", "enabled"}});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_TRUE(contains(result.err, "BITROUTER_STRUCTURED_OUTPUTS")) << result.err;
  EXPECT_TRUE(contains(result.err, "init failed")) << result.err;
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

}  // namespace
}  // namespace agent::bitrouter::integration
