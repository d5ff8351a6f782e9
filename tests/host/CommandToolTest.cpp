// commandTool and the host's child processes: real /bin/sh processes, their groups, descriptors,
// environment and output limits.
#include "agent/host/CommandTool.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "agent/host/AgentHost.hpp"
#include "agent/test/ProcessGroups.hpp"
#include "agent/test/TempDir.hpp"

namespace agent::host {
namespace {

using namespace std::chrono_literals;

ToolContext within(std::chrono::milliseconds timeout) {
  return {std::chrono::steady_clock::now() + timeout, std::make_shared<CancellationToken>()};
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

ProcessSpec argv(std::vector<std::string> words) {
  ProcessSpec spec;
  spec.argv = std::move(words);
  return spec;
}

HostOptions noPlugins(const std::filesystem::path& directory) {
  HostOptions options;
  options.pluginsDirectory = directory;
  return options;
}

CommandToolOptions adding(std::vector<std::pair<std::string, std::string>> environment) {
  CommandToolOptions options;
  options.environment = std::move(environment);
  return options;
}

// The peak resident size of this process, in KiB.
long peakRssKb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

class CommandToolTest : public ::testing::Test {
 protected:
  // Orphans of the killed shells are re-parented here, so the test can reap them and see their
  // group gone (PID 1 of a container may never reap).
  static void SetUpTestSuite() { test::becomeSubreaper(); }

  // Expects the shell ($$, the group leader) and its background job ($!) that a command wrote
  // to pids() to be gone, group and all.
  void expectGroupGone() {
    const auto pids = test::awaitPids(pids_, 5s);
    ASSERT_EQ(pids.size(), 2u) << "the command did not write its pids";
    const bool gone = test::awaitGone(pids[0], 5s) && test::awaitGone(pids[1], 5s);
    const bool groupGone = gone && test::groupGone(pids[0]);
    test::killLeftovers(pids);
    EXPECT_TRUE(gone) << "the shell or its background sleep still runs";
    EXPECT_TRUE(groupGone) << "kill(-" << pids[0] << ", 0) still finds a process";
  }

  std::string pids() const { return pids_.string(); }

  test::TempDir dir_;
  std::filesystem::path pids_ = dir_.path() / "pids";
};

TEST_F(CommandToolTest, ReadsTheArgumentsOnStdinAndAnswersWithStdout) {
  const ToolFunction tool = commandTool("tr a-z A-Z");
  const ToolOutcome outcome = tool(R"({"city":"paris"})", within(5s));
  ASSERT_TRUE(outcome.ok) << outcome.text;
  EXPECT_EQ(outcome.text, R"({"CITY":"PARIS"})");
}

TEST_F(CommandToolTest, ANonZeroExitIsAToolErrorWithItsStderr) {
  const ToolFunction tool = commandTool("echo 'no such city' >&2; exit 3");
  const ToolOutcome outcome = tool("{}", within(5s));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.text, "the tool command exited with status 3: no such city");
}

TEST_F(CommandToolTest, ACommandThatIgnoresItsInputDoesNotHurtTheHost) {
  const std::string big(1 << 20, 'x');  // more than a pipe holds: the write hits a closed pipe
  const ToolOutcome outcome = commandTool("exit 0")(big, within(5s));
  EXPECT_TRUE(outcome.ok) << outcome.text;
}

TEST_F(CommandToolTest, OverrunningTheDeadlineKillsTheWholeProcessGroup) {
  const auto start = std::chrono::steady_clock::now();
  const ToolOutcome outcome =
      commandTool("sleep 30 & echo $$ $! > " + pids() + "; sleep 30")("{}", within(500ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.text, "the tool command did not finish in time and was killed");
  expectGroupGone();
}

TEST_F(CommandToolTest, ACancelKillsTheWholeProcessGroup) {
  ToolContext context = within(30s);
  auto token = std::make_shared<CancellationToken>();
  context.cancellation = token;
  std::thread canceller([&] {
    test::awaitPids(pids_, 5s);
    token->cancel();
  });
  const ToolOutcome outcome =
      commandTool("sleep 30 & echo $$ $! > " + pids() + "; wait")("{}", context);
  canceller.join();
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(contains(outcome.text, "cancelled")) << outcome.text;
  expectGroupGone();
}

TEST_F(CommandToolTest, WhatACommandLeavesRunningInTheBackgroundEndsWithIt) {
  // Finished, successfully, with a job still running that holds none of its pipes.
  const ToolOutcome outcome = commandTool("sleep 30 >/dev/null 2>&1 </dev/null & echo $$ $! > " +
                                          pids() + "; echo done")("{}", within(10s));
  ASSERT_TRUE(outcome.ok) << outcome.text;
  EXPECT_EQ(outcome.text, "done\n");
  expectGroupGone();
}

TEST_F(CommandToolTest, DestroyingTheHostEndsTheCommandsItStarted) {
  std::optional<AgentHost> host(std::in_place, noPlugins(dir_.path()));
  const ToolFunction tool =
      commandTool("sleep 100 & echo $$ $! > " + pids() + "; wait", {{}, host->childStarter()});
  ToolOutcome outcome;
  std::thread running([&] { outcome = tool("{}", within(60s)); });
  ASSERT_EQ(test::awaitPids(pids_, 5s).size(), 2u);
  const auto start = std::chrono::steady_clock::now();
  host.reset();
  running.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(contains(outcome.text, "killed by signal")) << outcome.text;
  expectGroupGone();
}

TEST_F(CommandToolTest, DestroyingTheHostEndsAChildWhoeverHoldsIt) {
  std::optional<AgentHost> host(std::in_place, noPlugins(dir_.path()));
  StartedChild started = host->startChildProcess(
      argv({"/bin/sh", "-c", "sleep 100 & echo $$ $! > " + pids() + "; wait"}));
  ASSERT_TRUE(started.ok()) << started.error();
  ASSERT_EQ(test::awaitPids(pids_, 5s).size(), 2u);
  host.reset();  // the child (held here, as a plugin would hold a server) is ended
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!started.value()->exitStatus() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  const auto exit = started.value()->exitStatus();
  ASSERT_TRUE(exit.has_value());
  EXPECT_FALSE(exit->exited);
  expectGroupGone();
}

TEST_F(CommandToolTest, ACommandGetsDescriptorsZeroToTwoOnly) {
  // Open descriptors without close-on-exec, as a careless library would.
  const int leaked = ::open("/dev/null", O_RDONLY);
  int pipeFds[2];
  ASSERT_EQ(::pipe(pipeFds), 0);
  const ToolOutcome outcome = commandTool("ls /proc/$$/fd")("", within(5s));
  ::close(leaked);
  ::close(pipeFds[0]);
  ::close(pipeFds[1]);
  ASSERT_TRUE(outcome.ok) << outcome.text;
  EXPECT_EQ(outcome.text, "0\n1\n2\n");
}

TEST_F(CommandToolTest, TheEnvironmentIsTheBaseAndWhatIsAddedNothingElse) {
  for (const char* name : {"AWS_ACCESS_KEY_ID", "DATABASE_URL", "PGPASSWORD", "MYSQL_PWD",
                           "SLACK_WEBHOOK_URL", "OPENAI_API_KEY_2", "SECRET"}) {
    ::setenv(name, "leaked-value", 1);
  }
  ::setenv("HOME", "/home/agent-test", 1);
  ::setenv("LC_TIME", "C", 1);
  const ToolOutcome outcome =
      commandTool("env", adding({{"ADDED", "on purpose"}, {"HOME", "/replaced"}}))("", within(5s));
  ASSERT_TRUE(outcome.ok) << outcome.text;
  EXPECT_FALSE(contains(outcome.text, "leaked-value")) << outcome.text;
  EXPECT_TRUE(contains(outcome.text, "ADDED=on purpose\n")) << outcome.text;
  EXPECT_TRUE(contains(outcome.text, "HOME=/replaced\n")) << outcome.text;
  EXPECT_FALSE(contains(outcome.text, "/home/agent-test")) << outcome.text;
  EXPECT_TRUE(contains(outcome.text, "LC_TIME=C\n")) << outcome.text;
  EXPECT_TRUE(contains(outcome.text, "PATH=")) << outcome.text;
}

TEST_F(CommandToolTest, EndlessStderrKeepsTheHostsMemoryBounded) {
  const long before = peakRssKb();
  const ToolOutcome outcome = commandTool("yes 'an endless complaint' >&2")("{}", within(1500ms));
  const long grownKb = peakRssKb() - before;
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(contains(outcome.text, "did not finish in time")) << outcome.text.substr(0, 200);
  // Its end is quoted, as written: whole lines, but the last, which the kill may have cut.
  const std::string prefix = "the tool command did not finish in time and was killed: ";
  const std::string line = "an endless complaint";
  ASSERT_EQ(outcome.text.rfind(prefix, 0), 0u) << outcome.text.substr(0, 200);
  std::string_view quoted(outcome.text);
  quoted.remove_prefix(prefix.size());
  while (quoted.substr(0, line.size() + 1) == line + " ")
    quoted.remove_prefix(line.size() + 1);
  EXPECT_EQ(line.rfind(quoted, 0), 0u) << "not a line of it: " << quoted;
  EXPECT_LT(outcome.text.size(), 2200u);
  EXPECT_LT(grownKb, 32 * 1024) << "the host kept what the command wrote to stderr";
}

TEST_F(CommandToolTest, StdoutIsCappedAndTheCommandKilled) {
  const ToolOutcome outcome = commandTool("yes")("{}", within(10s));
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(contains(outcome.text, "wrote more than 1048576 bytes and was killed"))
      << outcome.text.substr(0, 200);
}

TEST_F(CommandToolTest, AProgramThatCannotStartIsOneLine) {
  const StartedChild started = startChildProcess(argv({"no-such-program-anywhere"}));
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error(), "'no-such-program-anywhere' was not found in PATH");
}

TEST_F(CommandToolTest, StopClosesStdinThenSignalsTheGroup) {
  StartedChild cat = startChildProcess(argv({"cat"}));
  ASSERT_TRUE(cat.ok()) << cat.error();
  const ProcessExit closed = cat.value()->stop(2s);  // cat ends at EOF on stdin
  EXPECT_TRUE(closed.exited);
  EXPECT_EQ(closed.describe(), "exit status 0");

  StartedChild stubborn = startChildProcess(
      argv({"/bin/sh", "-c", "trap '' TERM; echo ready >&2; while :; do sleep 1; done"}));
  ASSERT_TRUE(stubborn.ok()) << stubborn.error();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (stubborn.value()->stderrTail(1) != "ready" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  const ProcessExit killed = stubborn.value()->stop(100ms);
  EXPECT_FALSE(killed.exited);
  EXPECT_EQ(killed.termSignal, SIGKILL);
}

}  // namespace
}  // namespace agent::host
