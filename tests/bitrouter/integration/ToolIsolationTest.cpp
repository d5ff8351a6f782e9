// What a tool command can reach, run by the real agent-host against the stand-in: its process
// group ends with the agent (SIGINT, SIGTERM, SIGHUP), it sees fds 0-2 only while the agent holds
// a pooled connection, its environment is an allow-list, its output is bounded and made valid
// UTF-8, and --max-steps never runs a tool whose result would not be sent.
#include <signal.h>

#include <filesystem>
#include <string>
#include <vector>

#include "IntegrationSupport.hpp"
#include "agent/test/ProcessGroups.hpp"

namespace agent::bitrouter::integration {
namespace {

using namespace std::chrono_literals;

constexpr const char* kWeatherTool =
    R"([{"type":"function","function":{"name":"get_weather","description":"Weather in a city",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},)"
    R"("required":["city"]}}}])";

class ToolIsolationTest : public BitRouterIntegrationTest {
 protected:
  // The killed tools' orphans are re-parented here, to be reaped and checked.
  static void SetUpTestSuite() { test::becomeSubreaper(); }

  void SetUp() override {
    BitRouterIntegrationTest::SetUp();
    standin().script({.toolCalls = {{"call_1", "get_weather", R"({"city":"Paris"})"}}});
  }

  // agent-host generate --json with get_weather run as `command`.
  std::vector<std::string> generate(const std::string& command,
                                    std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "--plugins-dir",  preparePlugins(Plugins::BitRouterAndEcho).string(),
        "generate",       "--json",
        "--tools",        kWeatherTool,
        "--tool-command", "get_weather=" + command};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("Weather in Paris?");
    return args;
  }

  EnvMap env(EnvMap extra = {}) const {
    EnvMap all{{"BITROUTER_BASE_URL", standin().baseUrl()},
               {"BITROUTER_RETRY_BASE_MS", "1"},
               {"BITROUTER_API_KEY", "brvk_secret_for_tools"}};
    for (auto& [key, value] : extra)
      all[key] = value;
    return all;
  }

  // What the model was sent as the tool's result (the second request's third message).
  std::string toolResultSent() const {
    const auto requests = chatRequests();
    if (requests.size() < 2) return "<no second request>";
    const rapidjson::Document body = parseJson(requests[1].body);
    return body["messages"][2]["content"].GetString();
  }

  // Runs a generate whose tool never ends, sends `signal` once the tool runs, and checks that
  // agent-host died of it and left no process of the tool's group behind.
  void expectSignalEndsTheToolGroup(int signal) {
    TempDir scratch;
    const auto pidsFile = scratch.path() / "pids";
    test::StartedProcess agent =
        test::startProcess(AGENT_HOST_EXE,
                           generate("sleep 100 & echo $$ $! > " + pidsFile.string() + "; wait",
                                    {"--tool-timeout-ms", "60000"}),
                           env());
    const auto pids = test::awaitPids(pidsFile, 10s);
    ::kill(agent.pid, signal);
    const ProcessResult result = test::finishProcess(agent);
    ASSERT_EQ(pids.size(), 2u) << "the tool did not start: " << result.err;
    EXPECT_EQ(result.exitCode, 128 + signal) << result.err;
    const bool gone = test::awaitGone(pids[0], 5s) && test::awaitGone(pids[1], 5s);
    const bool groupGone = gone && test::groupGone(pids[0]);
    test::killLeftovers(pids);
    EXPECT_TRUE(gone) << "the tool's shell or its sleep outlived agent-host";
    EXPECT_TRUE(groupGone) << "a process of group " << pids[0] << " remains";
  }
};

TEST_F(ToolIsolationTest, CtrlCEndsAgentHostAndTheToolGroup) {
  expectSignalEndsTheToolGroup(SIGINT);
}

TEST_F(ToolIsolationTest, SigtermEndsAgentHostAndTheToolGroup) {
  expectSignalEndsTheToolGroup(SIGTERM);
}

TEST_F(ToolIsolationTest, SighupEndsAgentHostAndTheToolGroup) {
  expectSignalEndsTheToolGroup(SIGHUP);
}

TEST_F(ToolIsolationTest, AToolSeesOnlyDescriptorsZeroToTwoWhileTheConnectionIsPooled) {
  standin().script({.content = "done"});
  const ProcessResult result = runProcess(AGENT_HOST_EXE, generate("ls /proc/$$/fd"), env());
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(toolResultSent(), "0\n1\n2\n");
  // The call's connection stays pooled while the tool runs (the init probe may have its own).
  EXPECT_GE(standin().connectionCount(), 1u);
}

TEST_F(ToolIsolationTest, TheAgentsSecretsDoNotReachAToolUnlessPassedOnPurpose) {
  standin().script({.content = "done"});
  const EnvMap secrets{{"AWS_ACCESS_KEY_ID", "AKIA-leaked"},
                       {"DATABASE_URL", "postgres://u:pw-leaked@h/db"},
                       {"PGPASSWORD", "pg-leaked"},
                       {"MYSQL_PWD", "mysql-leaked"},
                       {"SLACK_WEBHOOK_URL", "https://hooks.example/leaked"},
                       {"OPENAI_API_KEY_2", "sk-leaked"},
                       {"SECRET", "plain-leaked"},
                       {"GITHUB_TOKEN", "ghp-on-purpose"},
                       {"LANG", "C.UTF-8"}};
  const ProcessResult result =
      runProcess(AGENT_HOST_EXE,
                 generate("env", {"--tool-env", "GITHUB_TOKEN", "--tool-env", "MODE=read-only"}),
                 env(secrets));
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const std::string seen = toolResultSent();
  EXPECT_FALSE(contains(seen, "leaked")) << seen;
  EXPECT_FALSE(contains(seen, "brvk_secret_for_tools")) << seen;
  EXPECT_TRUE(contains(seen, "GITHUB_TOKEN=ghp-on-purpose\n")) << seen;
  EXPECT_TRUE(contains(seen, "MODE=read-only\n")) << seen;
  EXPECT_TRUE(contains(seen, "LANG=C.UTF-8\n")) << seen;
}

TEST_F(ToolIsolationTest, ABadToolEnvIsAUsageError) {
  const ProcessResult result =
      runProcess(AGENT_HOST_EXE, generate("true", {"--tool-env", "NOT A NAME=x"}), env());
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_TRUE(contains(result.err, "--tool-env")) << result.err;
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

TEST_F(ToolIsolationTest, EndlessStderrKeepsTheAgentsMemoryBounded) {
  // The same run with a tool that stays quiet until its time is up: what agent-host needs anyway
  // (far more under a sanitizer), so the bound below holds in every build.
  standin().script({.content = "done"});
  const ProcessResult quiet =
      runProcess(AGENT_HOST_EXE, generate("sleep 5", {"--tool-timeout-ms", "1500"}), env());
  ASSERT_EQ(quiet.exitCode, 0) << quiet.err;
  standin().resetRecords();
  standin().script({.toolCalls = {{"call_1", "get_weather", R"({"city":"Paris"})"}}});
  standin().script({.content = "done"});
  const ProcessResult result =
      runProcess(AGENT_HOST_EXE,
                 generate("yes 'endless complaint' >&2", {"--tool-timeout-ms", "1500"}), env());
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const std::string sent = toolResultSent();
  EXPECT_TRUE(contains(sent, "did not finish in time")) << sent.substr(0, 200);
  EXPECT_LT(sent.size(), 2200u);
  EXPECT_TRUE(contains(sent, "endless complaint endless complaint")) << sent.substr(0, 200);
  EXPECT_FALSE(contains(sent, "\xef\xbf\xbd")) << "the quoted stderr is not what the tool wrote";
  // `yes` writes hundreds of MB in those 1.5 s: keeping it would show here many times over.
  EXPECT_LT(result.maxRssKb, quiet.maxRssKb + 32 * 1024)
      << "agent-host kept what the tool wrote to stderr (quiet run: " << quiet.maxRssKb << " KiB)";
}

TEST_F(ToolIsolationTest, Latin1OutputReachesTheModelAsUtf8WithANote) {
  standin().script({.content = "read it"});
  const ProcessResult result = runProcess(AGENT_HOST_EXE, generate("printf 'caf\\351'"), env());
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const rapidjson::Document json = parseJson(result.out);
  EXPECT_STREQ(json["text"].GetString(), "read it");
  EXPECT_EQ(toolResultSent(),
            "caf\xef\xbf\xbd\n[agent-host: the tool's output was not valid UTF-8; the invalid "
            "bytes were replaced with U+FFFD]");
}

TEST_F(ToolIsolationTest, TheLastAllowedStepRunsNoTool) {
  TempDir scratch;
  const auto marker = scratch.path() / "ran";
  const ProcessResult result =
      runProcess(AGENT_HOST_EXE, generate("touch " + marker.string(), {"--max-steps", "1"}), env());
  EXPECT_EQ(result.exitCode, 1) << result.err;
  EXPECT_FALSE(std::filesystem::exists(marker)) << "the tool ran though its result was never sent";
  EXPECT_TRUE(contains(result.err, "not run: get_weather (call_1)")) << result.err;
  EXPECT_EQ(standin().chatRequestCount(), 1u);
}

}  // namespace
}  // namespace agent::bitrouter::integration
