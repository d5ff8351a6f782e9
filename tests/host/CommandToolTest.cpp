// commandTool and environmentWithoutSecrets: real /bin/sh processes.
#include "agent/host/CommandTool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace agent::host {
namespace {

using namespace std::chrono_literals;

ToolContext within(std::chrono::milliseconds timeout) {
  return {std::chrono::steady_clock::now() + timeout, std::make_shared<CancellationToken>()};
}

TEST(CommandToolTest, ReadsTheArgumentsOnStdinAndAnswersWithStdout) {
  const ToolFunction tool = commandTool("tr a-z A-Z", {"PATH=/usr/bin:/bin"});
  const ToolOutcome outcome = tool(R"({"city":"paris"})", within(5s));
  ASSERT_TRUE(outcome.ok) << outcome.text;
  EXPECT_EQ(outcome.text, R"({"CITY":"PARIS"})");
}

TEST(CommandToolTest, ANonZeroExitIsAToolErrorWithItsStderr) {
  const ToolFunction tool = commandTool("echo 'no such city' >&2; exit 3", {});
  const ToolOutcome outcome = tool("{}", within(5s));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.text, "the tool command exited with status 3: no such city");
}

TEST(CommandToolTest, ACommandThatIgnoresItsInputDoesNotHurtTheHost) {
  const std::string big(1 << 20, 'x');  // more than a pipe holds: the write hits a closed pipe
  const ToolOutcome outcome = commandTool("exit 0", {})(big, within(5s));
  EXPECT_TRUE(outcome.ok) << outcome.text;
}

TEST(CommandToolTest, OverrunningTheDeadlineKillsTheWholeProcessGroup) {
  const auto start = std::chrono::steady_clock::now();
  const ToolOutcome outcome = commandTool("sleep 30 & sleep 30", {})("{}", within(200ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.text, "the tool command did not finish in time and was killed");
}

TEST(CommandToolTest, ACancelStopsTheCommand) {
  ToolContext context = within(30s);
  auto token = std::make_shared<CancellationToken>();
  context.cancellation = token;
  token->cancel();
  const ToolOutcome outcome = commandTool("sleep 30", {})("{}", context);
  EXPECT_FALSE(outcome.ok);
  EXPECT_NE(outcome.text.find("cancelled"), std::string::npos);
}

TEST(CommandToolTest, TheChildGetsOnlyTheEnvironmentItIsGiven) {
  ::setenv("AGENT_TEST_PARENT_ONLY", "1", 1);
  const ToolOutcome outcome = commandTool("env", {"ONLY=this"})("", within(5s));
  ASSERT_TRUE(outcome.ok);
  EXPECT_NE(outcome.text.find("ONLY=this\n"), std::string::npos);  // sh adds PWD itself
  EXPECT_EQ(outcome.text.find("AGENT_TEST_PARENT_ONLY"), std::string::npos);
}

TEST(CommandToolTest, EnvironmentWithoutSecretsDropsKeysTokensAndDeclaredSecrets) {
  ::setenv("BITROUTER_BASE_URL", "http://127.0.0.1:1", 1);
  ::setenv("OPENAI_API_KEY", "sk-secret", 1);
  ::setenv("GITHUB_TOKEN", "ghp", 1);
  ::setenv("MY_PLUGIN_CREDENTIAL", "declared", 1);
  ::setenv("HARMLESS_SETTING", "kept", 1);
  const auto environment = environmentWithoutSecrets({"MY_PLUGIN_CREDENTIAL"});
  const auto has = [&](std::string_view prefix) {
    return std::any_of(environment.begin(), environment.end(),
                       [&](const std::string& entry) { return entry.rfind(prefix, 0) == 0; });
  };
  EXPECT_FALSE(has("BITROUTER_BASE_URL="));
  EXPECT_FALSE(has("OPENAI_API_KEY="));
  EXPECT_FALSE(has("GITHUB_TOKEN="));
  EXPECT_FALSE(has("MY_PLUGIN_CREDENTIAL="));
  EXPECT_TRUE(has("HARMLESS_SETTING=kept"));
}

}  // namespace
}  // namespace agent::host
