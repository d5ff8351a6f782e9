// agent-host as users run it: the real binary, a plugins directory holding the built bitrouter.so
// and echo.so, and BITROUTER_BASE_URL pointing at the stand-in running in this test process.
#include <unistd.h>

#include <string>
#include <vector>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

class CliTest : public BitRouterIntegrationTest {
 protected:
  EnvMap cliEnv(EnvMap extra = {}) const {
    EnvMap env{{"BITROUTER_BASE_URL", standin().baseUrl()}, {"BITROUTER_RETRY_BASE_MS", "1"}};
    for (auto& [key, value] : extra)
      env[key] = value;
    return env;
  }

  ProcessResult run(std::vector<std::string> args, const EnvMap& env) {
    std::vector<std::string> full{"--plugins-dir",
                                  preparePlugins(Plugins::BitRouterAndEcho).string()};
    full.insert(full.end(), args.begin(), args.end());
    return runProcess(AGENT_HOST_EXE, full, env);
  }
};

TEST_F(CliTest, ABitRouterThatNeverAnswersTheProbeHoldsNoCommandUp) {
  // A listener that never accepts: the kernel completes the handshake and takes the request,
  // and nothing ever answers. The init probe (a key is set) runs in the background, so
  // `providers` is as quick as with no key at all (it took the probe's 2 s before).
  std::uint16_t port = 0;
  const int listener = agent::test::listenOnLoopback(port);
  ASSERT_GE(listener, 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  const ProcessResult result = run(
      {"providers"}, {{"BITROUTER_BASE_URL", url}, {"BITROUTER_API_KEY", std::string(kValidKey)}});
  ::close(listener);
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_LT(result.elapsed, std::chrono::milliseconds(1500)) << result.err;
}

TEST_F(CliTest, ProvidersListsBitRouterLoaded) {
  const ProcessResult text = run({"providers"}, cliEnv());
  ASSERT_EQ(text.exitCode, 0) << text.err;
  bool listed = false;
  for (const std::string& line : splitLines(text.out)) {
    listed |= contains(line, "bitrouter") && contains(line, "loaded");
  }
  EXPECT_TRUE(listed) << text.out;

  const ProcessResult json = run({"providers", "--json"}, cliEnv());
  ASSERT_EQ(json.exitCode, 0) << json.err;
  const rapidjson::Document document = parseJson(json.out);
  ASSERT_TRUE(document.IsObject());
  const rapidjson::Value* bitrouter = nullptr;
  for (const auto& plugin : document["plugins"].GetArray()) {
    if (plugin["name"].IsString() && std::string(plugin["name"].GetString()) == "bitrouter") {
      bitrouter = &plugin;
    }
  }
  ASSERT_NE(bitrouter, nullptr) << json.out;
  EXPECT_STREQ((*bitrouter)["status"].GetString(), "loaded");
  EXPECT_EQ((*bitrouter)["modelTypes"].Size(), 7u);
  const auto& small = document["models"]["TEXT_SMALL"];
  ASSERT_GE(small.Size(), 1u);
  EXPECT_STREQ(small[0]["provider"].GetString(), "bitrouter");
  // providers only loads plugins; with no key there is no probe, so nothing reached the router.
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

TEST_F(CliTest, GeneratePrintsTheReply) {
  const ProcessResult result = run({"generate", "Say hello"}, cliEnv());
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "Stand-in reply from gpt-4o-mini: Say hello\n");
  ASSERT_EQ(standin().chatRequestCount(), 1u);

  const ProcessResult large = run({"generate", "--model", "TEXT_LARGE", "--max-tokens", "20",
                                   "--system", "Be brief.", "Say hello"},
                                  cliEnv());
  EXPECT_EQ(large.exitCode, 0) << large.err;
  EXPECT_EQ(large.out, "Stand-in reply from gpt-4o: Say hello\n");
  const rapidjson::Document body = lastChatBody();
  EXPECT_EQ(body["max_tokens"].GetInt64(), 20);
  EXPECT_STREQ(body["messages"][0]["content"].GetString(), "Be brief.");
}

TEST_F(CliTest, GenerateJsonDescribesTheCall) {
  const ProcessResult result = run({"generate", "--json", "Say hello"}, cliEnv());
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const rapidjson::Document json = parseJson(result.out);
  ASSERT_TRUE(json.IsObject()) << result.out;
  EXPECT_STREQ(json["text"].GetString(), "Stand-in reply from gpt-4o-mini: Say hello");
  EXPECT_STREQ(json["provider"].GetString(), "bitrouter");
  EXPECT_STREQ(json["modelType"].GetString(), "TEXT_SMALL");
  EXPECT_STREQ(json["model"].GetString(), "gpt-4o-mini");
  EXPECT_STREQ(json["finishReason"].GetString(), "stop");
  const auto& usage = json["usage"];
  // The stand-in's usage: a quarter of the characters.
  EXPECT_EQ(usage["promptTokens"].GetInt64(), 9 / 4);
  EXPECT_EQ(usage["completionTokens"].GetInt64(),
            static_cast<std::int64_t>(
                std::string("Stand-in reply from gpt-4o-mini: Say hello").size() / 4));
  EXPECT_EQ(usage["totalTokens"].GetInt64(),
            usage["promptTokens"].GetInt64() + usage["completionTokens"].GetInt64());
  EXPECT_FALSE(usage["estimated"].GetBool());
}

TEST_F(CliTest, GenerateStreamPrintsTheChunks) {
  standin().script({.streamChunks = {"one ", "two ", "three"}});
  const ProcessResult result = run({"generate", "--stream", "count"}, cliEnv());
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "one two three\n");
  const rapidjson::Document body = lastChatBody();
  EXPECT_TRUE(body["stream"].IsBool() && body["stream"].GetBool()) << toJson(body);
}

TEST_F(CliTest, GenerateWithASchemaPrintsCompactJson) {
  standin().script({.content = "```json\n{ \"answer\" : 42 }\n```"});
  const ProcessResult result = run(
      {"generate", "--schema",
       R"({"type":"object","properties":{"answer":{"type":"integer"}},"required":["answer"],"additionalProperties":false})",
       "What is the answer?"},
      cliEnv({{"BITROUTER_STRUCTURED_OUTPUTS", "true"}}));
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "{\"answer\":42}\n");
  const rapidjson::Document body = lastChatBody();
  EXPECT_STREQ(body["response_format"]["type"].GetString(), "json_schema");
}

TEST_F(CliTest, CharacterFileSuppliesTheAddressAndTheKey) {
  restartStandin(authModeOptions());
  TempDir dir;
  const auto character = dir.write(
      "character.json", R"({"name":"Routy","settings":{"BITROUTER_BASE_URL":")" +
                            standin().baseUrl() + R"(","BITROUTER_LARGE_MODEL":"openai/gpt-4o"},
                          "secrets":{"BITROUTER_API_KEY":")" +
                            std::string(kValidKey) + R"("}})");
  const ProcessResult result = run(
      {"--character", character.string(), "generate", "--model", "TEXT_LARGE", "Say hello"}, {});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "Stand-in reply from openai/gpt-4o: Say hello\n");
  const auto chats = chatRequests();
  ASSERT_EQ(chats.size(), 1u);
  const auto authorization = chats[0].headers.find("Authorization");
  ASSERT_NE(authorization, chats[0].headers.end());
  EXPECT_EQ(authorization->second, "Bearer " + std::string(kValidKey));
}

TEST_F(CliTest, RejectedKeyExitsOneWithOneStderrLine) {
  restartStandin(authModeOptions());
  const ProcessResult result =
      run({"generate", "hi"},
          cliEnv({{"BITROUTER_API_KEY", "brvk_UnknownKey0123456789abcdefghijklmnopqrstuvw"}}));
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_TRUE(result.out.empty()) << result.out;
  const auto lines = splitLines(result.err);
  ASSERT_EQ(lines.size(), 1u) << result.err;
  EXPECT_TRUE(contains(lines[0], "bitrouter")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "401")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "unknown API key")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "BITROUTER_API_KEY")) << lines[0];
}

TEST_F(CliTest, ScriptedServerErrorExitsOneNamingTheCause) {
  standin().scriptRepeated({.status = 503, .headers = {{"retry-after", ""}}}, 3);
  const ProcessResult result =
      run({"generate", "hi"}, cliEnv({{"BITROUTER_API_KEY", std::string(kValidKey)}}));
  EXPECT_EQ(result.exitCode, 1);
  const auto lines = splitLines(result.err);
  // Retries are logged as warnings; the failure itself is the last line.
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(contains(lines.back(), "agent-host: bitrouter failed (TEXT_SMALL)")) << result.err;
  EXPECT_TRUE(contains(lines.back(), "unavailable (HTTP 503)")) << result.err;
  EXPECT_EQ(standin().chatRequestCount(), 3u);
}

TEST_F(CliTest, UnsupportedBaseUrlSkipsThePluginWithAClearLine) {
  const EnvMap env{{"BITROUTER_BASE_URL", "ftp://x"}};
  const ProcessResult providers = run({"providers", "--json"}, env);
  ASSERT_EQ(providers.exitCode, 0) << providers.err;
  const rapidjson::Document document = parseJson(providers.out);
  ASSERT_TRUE(document.IsObject());
  bool found = false;
  for (const auto& plugin : document["plugins"].GetArray()) {
    if (!plugin["name"].IsString() || std::string(plugin["name"].GetString()) != "bitrouter") {
      continue;
    }
    found = true;
    EXPECT_STREQ(plugin["status"].GetString(), "skipped");
    const std::string reason = plugin["reason"].GetString();
    EXPECT_TRUE(contains(reason, "BITROUTER_BASE_URL")) << reason;
    EXPECT_TRUE(contains(reason, "ftp")) << reason;
  }
  EXPECT_TRUE(found) << providers.out;

  const ProcessResult generate = run({"generate", "hi"}, env);
  EXPECT_EQ(generate.exitCode, 2);  // the setting is at fault
  EXPECT_TRUE(generate.out.empty()) << generate.out;
  const auto lines = splitLines(generate.err);
  // The loader's skip line (naming the setting), then the failure.
  ASSERT_EQ(lines.size(), 2u) << generate.err;
  EXPECT_TRUE(contains(lines[0], "BITROUTER_BASE_URL")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "bitrouter")) << lines[0];
  EXPECT_TRUE(contains(lines[1], "agent-host: ")) << lines[1];
  EXPECT_TRUE(contains(lines[1], "no_provider")) << lines[1];
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

}  // namespace
}  // namespace agent::bitrouter::integration
