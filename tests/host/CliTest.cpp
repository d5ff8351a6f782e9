// agent-host as users run it: the real binary, a temporary plugins directory, and exactly the
// environment each test gives it.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using test::EnvMap;
using test::ProcessResult;

class CliTest : public ::testing::Test {
 protected:
  ProcessResult run(std::vector<std::string> args, EnvMap env = {}, const std::string& input = "") {
    std::vector<std::string> full{"--plugins-dir", dir_.path().string()};
    full.insert(full.end(), args.begin(), args.end());
    return test::runProcess(AGENT_HOST_EXE, full, env, input);
  }

  ProcessResult runBare(std::vector<std::string> args, EnvMap env = {}) {
    return test::runProcess(AGENT_HOST_EXE, args, env);
  }

  static rapidjson::Document parseJson(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    EXPECT_FALSE(document.HasParseError()) << text;
    return document;
  }

  void withEcho() { dir_.copy(ECHO_PLUGIN, "echo.so"); }

  test::TempDir dir_;
};

// --- usage and exit code 2 -------------------------------------------------------------------

TEST_F(CliTest, HelpPrintsUsage) {
  for (const char* flag : {"--help", "-h"}) {
    const auto result = runBare({flag});
    EXPECT_EQ(result.exitCode, 0);
    EXPECT_NE(result.out.find("Usage: agent-host"), std::string::npos);
    EXPECT_NE(result.out.find("generate"), std::string::npos);
    EXPECT_NE(result.out.find("providers"), std::string::npos);
  }
  EXPECT_EQ(runBare({"generate", "--help"}).exitCode, 0);
}

void expectUsageError(const ProcessResult& result, const std::string& says) {
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_EQ(result.err.rfind("agent-host: ", 0), 0u) << result.err;
  EXPECT_NE(result.err.find(says), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--help"), std::string::npos) << result.err;
}

TEST_F(CliTest, MissingCommand) {
  expectUsageError(runBare({}), "missing COMMAND");
}

TEST_F(CliTest, UnknownCommand) {
  expectUsageError(run({"frobnicate"}), "unknown command");
}

TEST_F(CliTest, UnknownOption) {
  expectUsageError(run({"generate", "--frobnicate", "x"}), "unknown option --frobnicate");
  expectUsageError(run({"--frobnicate", "providers"}), "unknown option --frobnicate");
}

TEST_F(CliTest, MissingOptionValue) {
  expectUsageError(run({"generate", "hi", "--model"}), "--model needs a value");
}

TEST_F(CliTest, BadNumbers) {
  expectUsageError(run({"generate", "--temperature", "warm", "hi"}), "--temperature");
  expectUsageError(run({"generate", "--max-tokens", "1.5", "hi"}), "--max-tokens");
  expectUsageError(run({"generate", "--max-tokens", "0", "hi"}), "at least 1");
  expectUsageError(run({"generate", "--seed", "x", "hi"}), "--seed");
  expectUsageError(run({"generate", "--top-p", "", "hi"}), "--top-p");
}

TEST_F(CliTest, UnknownModelType) {
  expectUsageError(run({"generate", "--model", "TEXT_HUGE", "hi"}), "unknown model type");
}

TEST_F(CliTest, BadLogLevel) {
  expectUsageError(run({"--log-level", "loud", "providers"}), "unknown log level");
}

TEST_F(CliTest, MissingPrompt) {
  expectUsageError(run({"generate"}), "PROMPT");
}

TEST_F(CliTest, TwoPrompts) {
  expectUsageError(run({"generate", "a", "b"}), "quote");
}

TEST_F(CliTest, BadSchema) {
  expectUsageError(run({"generate", "--schema", "{not json", "hi"}), "--schema");
  expectUsageError(run({"generate", "--schema", "/nonexistent.json", "hi"}), "--schema");
}

TEST_F(CliTest, UnreadableCharacterFile) {
  expectUsageError(run({"--character", "/nonexistent/c.json", "providers"}), "/nonexistent/c.json");
  const auto bad = dir_.write("bad.json", "{\"name\": ");
  expectUsageError(run({"--character", bad.string(), "providers"}), "not valid JSON");
}

// --- providers ---------------------------------------------------------------------------------

TEST_F(CliTest, ProvidersJsonListsPluginsAndRankedModels) {
  withEcho();
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  dir_.write("junk.so", "junk");
  const auto result =
      run({"providers", "--json"}, {{"ECHO_PROVIDER", "1"}, {"ECHO_PRIORITY", "3"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = parseJson(result.out);
  ASSERT_TRUE(json.IsObject());
  EXPECT_EQ(std::string(json["pluginsDirectory"].GetString()), dir_.path().string());
  const auto& plugins = json["plugins"];
  ASSERT_EQ(plugins.Size(), 3u);
  EXPECT_STREQ(plugins[0]["file"].GetString(), "alpha.so");
  EXPECT_STREQ(plugins[0]["status"].GetString(), "loaded");
  EXPECT_STREQ(plugins[1]["name"].GetString(), "echo");
  EXPECT_EQ(plugins[1]["priority"].GetInt(), 3);
  EXPECT_EQ(plugins[1]["modelTypes"].Size(), 7u);
  EXPECT_STREQ(plugins[2]["file"].GetString(), "junk.so");
  EXPECT_STREQ(plugins[2]["status"].GetString(), "skipped");
  EXPECT_NE(std::string(plugins[2]["reason"].GetString()).find("not a shared library"),
            std::string::npos);

  const auto& small = json["models"]["TEXT_SMALL"];
  ASSERT_EQ(small.Size(), 2u);
  EXPECT_STREQ(small[0]["provider"].GetString(), "echo");
  EXPECT_EQ(small[0]["priority"].GetInt(), 3);
  EXPECT_STREQ(small[1]["provider"].GetString(), "alpha");
  EXPECT_EQ(json["models"]["TEXT_NANO"].Size(), 1u);
  EXPECT_FALSE(json["models"].HasMember("TEXT_EMBEDDING"));
}

TEST_F(CliTest, ProvidersJsonKeepsAFractionalPriority) {
  withEcho();
  const auto result =
      run({"providers", "--json"}, {{"ECHO_PROVIDER", "1"}, {"ECHO_PRIORITY", "-1.5"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = parseJson(result.out);
  ASSERT_TRUE(json.IsObject());
  EXPECT_EQ(json["plugins"][0]["priority"].GetDouble(), -1.5) << result.out;
  EXPECT_EQ(json["models"]["TEXT_SMALL"][0]["priority"].GetDouble(), -1.5) << result.out;
}

TEST_F(CliTest, ProvidersShowsDisabledPluginsAndWhy) {
  withEcho();
  const auto result = run({"providers", "--json"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = parseJson(result.out);
  EXPECT_STREQ(json["plugins"][0]["status"].GetString(), "disabled");
  EXPECT_NE(std::string(json["plugins"][0]["reason"].GetString()).find("ECHO_PROVIDER"),
            std::string::npos);
  EXPECT_EQ(json["models"].MemberCount(), 0u);
}

TEST_F(CliTest, ProvidersNeverPrintsSettingValues) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  const auto result =
      run({"--log-level", "trace", "providers", "--json"}, {{"TEST_SECRET_KEY", "hunter2-secret"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out.find("hunter2-secret"), std::string::npos);
  EXPECT_EQ(result.err.find("hunter2-secret"), std::string::npos);
  const auto json = parseJson(result.out);
  EXPECT_TRUE(json["plugins"][0]["settings"][0]["set"].GetBool());
  EXPECT_TRUE(json["plugins"][0]["settings"][0]["secret"].GetBool());
}

TEST_F(CliTest, ProvidersText) {
  withEcho();
  const auto result = run({"providers"}, {{"ECHO_PROVIDER", "1"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("echo 1.0.0"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("loaded"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("TEXT_MEGA"), std::string::npos) << result.out;
}

TEST_F(CliTest, PluginsDirFromEnvironment) {
  withEcho();
  const auto result = runBare({"providers", "--json"}, {{"AGENT_PLUGINS_DIR", dir_.path().string()},
                                                        {"ECHO_PROVIDER", "1"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(std::string(parseJson(result.out)["pluginsDirectory"].GetString()),
            dir_.path().string());
}

TEST_F(CliTest, PriorityWarningGoesToStderr) {
  withEcho();
  const auto result =
      run({"providers", "--json"}, {{"ECHO_PROVIDER", "1"}, {"ECHO_PRIORITY", "high"}});
  ASSERT_EQ(result.exitCode, 0);
  EXPECT_NE(result.err.find("ECHO_PRIORITY is not a number: \"high\""), std::string::npos)
      << result.err;
  parseJson(result.out);
}

// --- generate ----------------------------------------------------------------------------------

TEST_F(CliTest, GeneratePrintsTheText) {
  withEcho();
  const auto result = run({"generate", "hello there"}, {{"ECHO_PROVIDER", "1"}});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "echo: hello there\n");
  EXPECT_TRUE(result.err.empty()) << result.err;
}

TEST_F(CliTest, GenerateJson) {
  withEcho();
  const auto result =
      run({"generate", "--json", "--model", "TEXT_MEGA", "hi"}, {{"ECHO_PROVIDER", "1"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = parseJson(result.out);
  EXPECT_STREQ(json["text"].GetString(), "echo: hi");
  EXPECT_STREQ(json["provider"].GetString(), "echo");
  EXPECT_STREQ(json["modelType"].GetString(), "TEXT_MEGA");
  EXPECT_STREQ(json["model"].GetString(), "echo-1");
  EXPECT_EQ(json["usage"]["promptTokens"].GetInt(), 1);
  EXPECT_EQ(json["usage"]["completionTokens"].GetInt(), 2);
  EXPECT_EQ(json["usage"]["totalTokens"].GetInt(), 3);
  EXPECT_TRUE(json["usage"]["estimated"].GetBool());
  EXPECT_STREQ(json["finishReason"].GetString(), "stop");
}

TEST_F(CliTest, GenerateReportsTheServedTypeAfterFallback) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  const auto result = run({"generate", "--json", "--model", "RESPONSE_HANDLER", "hi"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = parseJson(result.out);
  EXPECT_STREQ(json["modelType"].GetString(), "TEXT_SMALL");
  EXPECT_STREQ(json["text"].GetString(), "alpha/TEXT_SMALL: hi");
}

TEST_F(CliTest, GenerateModelNamesAreCaseInsensitiveAndAcceptAliases) {
  withEcho();
  const auto result =
      run({"generate", "--json", "--model", "large", "hi"}, {{"ECHO_PROVIDER", "1"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_STREQ(parseJson(result.out)["modelType"].GetString(), "TEXT_LARGE");
}

TEST_F(CliTest, GenerateStreams) {
  withEcho();
  const auto result = run({"generate", "--stream", "one two three four"}, {{"ECHO_PROVIDER", "1"}});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "echo: one two three four\n");
}

TEST_F(CliTest, GenerateStreamJsonPrintsOnlyTheObject) {
  withEcho();
  const auto result = run({"generate", "--stream", "--json", "a b c"}, {{"ECHO_PROVIDER", "1"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_STREQ(parseJson(result.out)["text"].GetString(), "echo: a b c");
}

TEST_F(CliTest, GenerateReadsThePromptFromStdin) {
  withEcho();
  const auto result = run({"generate", "-"}, {{"ECHO_PROVIDER", "1"}}, "from stdin\n");
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "echo: from stdin\n");
}

TEST_F(CliTest, GenerateAcceptsEveryParameter) {
  withEcho();
  const auto result = run({"generate",
                           "--system",
                           "terse",
                           "--temperature",
                           "0.3",
                           "--max-tokens",
                           "50",
                           "--top-p",
                           "0.9",
                           "--seed",
                           "42",
                           "--stop",
                           "END",
                           "--stop",
                           "STOP",
                           "--frequency-penalty",
                           "0.1",
                           "--presence-penalty",
                           "0.2",
                           "--schema",
                           R"({"type":"object"})",
                           "--provider",
                           "echo",
                           "hi"},
                          {{"ECHO_PROVIDER", "1"}});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "echo: hi\n");
}

TEST_F(CliTest, GenerateSchemaFromAFile) {
  withEcho();
  const auto schema = dir_.write("schema.json", R"({"type": "object"})");
  const auto result =
      run({"generate", "--schema", schema.string(), "hi"}, {{"ECHO_PROVIDER", "1"}});
  EXPECT_EQ(result.exitCode, 0) << result.err;
}

TEST_F(CliTest, GenerateUsesTheCharacterFile) {
  withEcho();
  const auto character = dir_.write(
      "agent.json",
      R"({"name": "Eliza", "settings": {"TEXT_SMALL_MAX_TOKENS": 2}, "secrets": {"ECHO_PROVIDER": "1"}})");
  const auto result = run({"--character", character.string(), "generate", "--json", "abcdefgh"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = parseJson(result.out);
  EXPECT_STREQ(json["text"].GetString(), "echo: ab");
  EXPECT_STREQ(json["finishReason"].GetString(), "length");
}

TEST_F(CliTest, GlobalOptionsAfterTheCommand) {
  withEcho();
  const auto result =
      test::runProcess(AGENT_HOST_EXE, {"generate", "hi", "--plugins-dir", dir_.path().string()},
                       {{"ECHO_PROVIDER", "1"}});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "echo: hi\n");
}

// --- exit code 1 -----------------------------------------------------------------------------

TEST_F(CliTest, FailedCallNamesProviderTypeAndCause) {
  withEcho();
  const auto result =
      run({"generate", "hi"}, {{"ECHO_PROVIDER", "1"}, {"ECHO_FAIL_WITH", "rate_limited"}});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_EQ(result.err,
            "agent-host: echo failed (TEXT_SMALL): rate_limited: ECHO_FAIL_WITH asked every call "
            "to fail\n");
}

TEST_F(CliTest, NoProviderConfigured) {
  withEcho();  // present but not enabled
  const auto result = run({"generate", "hi"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("no_provider"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("ECHO_PROVIDER"), std::string::npos) << result.err;
}

TEST_F(CliTest, NoHandlerForType) {
  withEcho();
  const auto result =
      run({"generate", "--model", "TEXT_EMBEDDING", "hi"}, {{"ECHO_PROVIDER", "1"}});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("No handler found for delegate type: TEXT_EMBEDDING"),
            std::string::npos)
      << result.err;
}

TEST_F(CliTest, UnknownProviderIsNoHandler) {
  withEcho();
  const auto result = run({"generate", "--provider", "bitrouter", "hi"}, {{"ECHO_PROVIDER", "1"}});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("No handler found for delegate type: TEXT_SMALL"), std::string::npos)
      << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST_F(CliTest, FailoverWithRealPlugins) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "beta.so");
  const EnvMap env{{"ALPHA_PRIORITY", "1"}, {"ALPHA_FAIL_WITH", "timeout"}};
  auto off = run({"generate", "hi"}, env);
  EXPECT_EQ(off.exitCode, 1);
  EXPECT_NE(off.err.find("alpha failed (TEXT_SMALL): timeout"), std::string::npos) << off.err;

  auto onEnv = env;
  onEnv["MODEL_FAILOVER"] = "true";
  auto on = run({"generate", "hi"}, onEnv);
  EXPECT_EQ(on.exitCode, 0) << on.err;
  EXPECT_EQ(on.out, "beta/TEXT_SMALL: hi\n");
  EXPECT_NE(on.err.find("MODEL_FAILOVER: trying beta"), std::string::npos) << on.err;
}

TEST_F(CliTest, UnknownSwitchValueIsAUsageErrorBeforeAnyPluginLoads) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  const auto result = run({"generate", "hi"}, {{"MODEL_FAILOVER", "maybe"}});
  expectUsageError(result, "MODEL_FAILOVER is 'maybe': use one of true/false, 1/0, yes/no, on/off");
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

}  // namespace
}  // namespace agent::host
