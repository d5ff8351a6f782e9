// What real servers will not do on demand, from the scripted server (scripted/server.js): every
// failure is one line, fast, and never a hang.
#include <gtest/gtest.h>

#include "McpTestSupport.hpp"

namespace agent::mcp::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string servers(const std::string& entries) {
  return R"({"maxRetries": 0, "servers": {)" + entries + "}}";
}

std::string scripted(const std::string& name, const std::string& mode,
                     const std::string& extra = "") {
  std::string entry = scriptedCommand(mode);
  if (!extra.empty()) entry = entry.substr(0, entry.size() - 1) + "," + extra + "}";
  return "\"" + name + "\": " + entry;
}

long elapsedMs(Clock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

TEST(McpFailureTest, ATimedOutCallFailsAndTheServerHearsItWasCancelled) {
  McpHost host(servers(scripted("s", "slow", R"("timeoutInMillis": 500)")));
  ASSERT_EQ(host.tools().size(), 2u);
  const auto started = Clock::now();
  const ToolResult result = host.call("s__sleep", "{}");
  EXPECT_TRUE(result.isError);
  EXPECT_TRUE(contains(result.text, "timed out")) << result.text;
  EXPECT_LT(elapsedMs(started), 2000);
  // The server saw notifications/cancelled for that request before the next call.
  const ToolResult next = host.call("s__hello", R"({"name":"x"})");
  EXPECT_TRUE(contains(next.text, "(cancelled: ")) << next.text;
}

TEST(McpFailureTest, ACancelledCallEndsPromptlyAndIsCancelledAtTheServer) {
  McpHost host(servers(scripted("s", "slow")));
  ASSERT_EQ(host.tools().size(), 2u);
  ToolCallContext context;
  context.deadline = Clock::now() + std::chrono::seconds(30);
  context.cancellation = std::make_shared<CancellationToken>();
  std::thread canceller([token = context.cancellation] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    token->cancel();
  });
  const auto started = Clock::now();
  const ToolResult result = host.provider().callTool("s__sleep", "{}", context);
  canceller.join();
  EXPECT_TRUE(result.isError);
  EXPECT_TRUE(contains(result.text, "cancelled")) << result.text;
  EXPECT_LT(elapsedMs(started), 1500);
}

TEST(McpFailureTest, ProgressExtendsTheTimeout) {
  McpHost host(servers(scripted("s", "progress", R"("timeoutInMillis": 800)")));
  ASSERT_EQ(host.tools().size(), 2u);
  const ToolResult result = host.call("s__sleep", "{}");  // 2.1 s of work, progress every 0.3 s
  EXPECT_FALSE(result.isError) << result.text;
  EXPECT_EQ(result.text, "slept with progress");
}

TEST(McpFailureTest, LinesThatAreNotJsonRpcAreSkippedWithAWarning) {
  McpHost host(servers(scripted("s", "garbage")));
  ASSERT_EQ(host.tools().size(), 1u);
  EXPECT_EQ(host.call("s__hello", R"({"name":"x"})").text, "hello x");
  EXPECT_TRUE(contains(host.finish(), "skipped a line that is not JSON-RPC"));
}

TEST(McpFailureTest, AServerThatNeverAnswersInitializeDelaysNeitherTheCallNorTheOthers) {
  McpHost host(servers(scripted("mute", "silent") + "," + scripted("fine", "ok")));
  const auto started = Clock::now();
  const auto tools = host.tools(std::chrono::milliseconds(1500));
  EXPECT_LT(elapsedMs(started), 3000);
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(tools[0].definition.name, "fine__hello");
  host.tools(std::chrono::milliseconds(100));  // the same state: no second warning
  const std::string log = host.finish();
  const auto first = log.find("server mute is not ready (starting)");
  ASSERT_NE(first, std::string::npos) << log;
  EXPECT_EQ(log.find("server mute is not ready", first + 1), std::string::npos) << log;
  EXPECT_TRUE(contains(log, "started in mode silent")) << log;  // its stderr
}

TEST(McpFailureTest, AServerThatExitsAtOnceIsOneLineWithItsStatusAndStderr) {
  McpHost host(servers(scripted("gone", "exit")));
  const auto started = Clock::now();
  EXPECT_TRUE(host.tools().empty());
  EXPECT_LT(elapsedMs(started), 5000);
  const ToolSourceStatus status = host.status("gone");
  EXPECT_EQ(status.state, "failed");
  EXPECT_TRUE(contains(status.problem, "exit status 3")) << status.problem;
  EXPECT_TRUE(contains(status.problem, "cannot start (mode exit)")) << status.problem;
  EXPECT_FALSE(contains(status.problem, "\n"));
}

TEST(McpFailureTest, AServerThatDiesMidCallFailsTheCallWithinASecondAndIsRestarted) {
  McpHost host(R"({"maxRetries": 1, "servers": {)" + scripted("s", "die") + "}}");
  ASSERT_EQ(host.tools().size(), 2u);
  const auto started = Clock::now();
  const ToolResult result = host.call("s__crash", "{}");
  EXPECT_LT(elapsedMs(started), 1000);
  EXPECT_TRUE(result.isError);
  EXPECT_TRUE(contains(result.text, "exit status 7")) << result.text;
  EXPECT_TRUE(contains(result.text, "crashing on purpose")) << result.text;
  EXPECT_EQ(host.status("s").state, "restarting");
  // While it is down, calls fail at once; after the 2 s backoff it is back.
  const ToolResult down = host.call("s__hello", R"({"name":"x"})", std::chrono::milliseconds(300));
  EXPECT_TRUE(down.isError);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(host.tools().size(), 2u);
  EXPECT_EQ(host.call("s__hello", R"({"name":"again"})").text, "hello again");
}

TEST(McpFailureTest, TenMegabytesAreCutToHeadAndTail) {
  McpHost host(servers(scripted("s", "big")), {{"MCP_MAX_RESULT_CHARS", "2000"}});
  ASSERT_EQ(host.tools().size(), 2u);
  const ToolResult result = host.call("s__big", "{}");
  EXPECT_FALSE(result.isError);
  EXPECT_LT(result.text.size(), 2200u);
  EXPECT_EQ(result.text.substr(0, 4), "HEAD");
  EXPECT_EQ(result.text.substr(result.text.size() - 4), "TAIL");
  EXPECT_TRUE(contains(result.text, "characters cut"));
}

TEST(McpFailureTest, PagesOfToolsAreAllListed) {
  McpHost host(servers(scripted("s", "paged")));
  EXPECT_EQ(host.tools().size(), 3u);
}

TEST(McpFailureTest, ListChangedIsHonouredAtTheNextList) {
  McpHost host(servers(scripted("s", "changing")));
  EXPECT_EQ(host.tools().size(), 2u);
  EXPECT_EQ(host.call("s__grow", "{}").text, "grown");
  const auto tools = host.tools();  // the notification came before the answer
  ASSERT_EQ(tools.size(), 3u);
  EXPECT_EQ(tools[2].definition.name, "s__extra");
}

TEST(McpFailureTest, UnsupportedServerRequestsGetAnErrorAndPingAnAnswer) {
  McpHost host(servers(scripted("s", "asks")));
  ASSERT_EQ(host.tools().size(), 2u);
  const ToolResult result = host.call("s__ask", "{}", std::chrono::seconds(5));
  EXPECT_FALSE(result.isError) << result.text;
  EXPECT_TRUE(contains(result.text, "sampling: error -32601")) << result.text;
  EXPECT_TRUE(contains(result.text, "ping: ok")) << result.text;
}

TEST(McpFailureTest, AnUnknownProtocolVersionIsAClearErrorForThatServer) {
  McpHost host(servers(scripted("old", "version")));
  EXPECT_TRUE(host.tools().empty());
  const ToolSourceStatus status = host.status("old");
  EXPECT_EQ(status.state, "failed");
  EXPECT_TRUE(contains(status.problem, "1999-01-01")) << status.problem;
}

TEST(McpFailureTest, ABadConfigurationIsOneLineAndTheOtherServersStart) {
  McpHost host(R"({"servers": {"bad": {"type": "stdio"}, )" + scripted("fine", "ok") + "}}");
  EXPECT_EQ(host.tools().size(), 1u);
  const std::string log = host.finish();
  EXPECT_TRUE(contains(log, "MCP server bad (MCP_SERVERS): command is missing")) << log;
}

TEST(McpFailureTest, OverHttpNothingIsSentBeforeTheServerAcceptedInitialized) {
  // The server takes 300 ms to accept notifications/initialized and lists "late" only after it.
  ScriptedHttpServer server("late");
  McpHost host(servers("\"s\": " + server.entry()));
  std::vector<std::string> names;
  for (const ProvidedTool& tool : host.tools())
    names.push_back(tool.definition.name);
  EXPECT_EQ(names, (std::vector<std::string>{"s__hello", "s__late"}));
}

TEST(McpFailureTest, AForgottenHttpSessionIsRenewedAndTheCallItRefusedIsSentAgain) {
  ScriptedHttpServer server("forgets");
  McpHost host(servers("\"s\": " + server.entry()));  // no restarts: a new session is not one
  ASSERT_EQ(host.tools().size(), 1u);
  EXPECT_EQ(host.call("s__hello", R"({"name":"first"})").text, "hello first");
  // The server forgot the session after that call and answers the next with 404: it never read
  // it, so the call goes again on a new session, started without the restart backoff (2 s)
  // since the old one served for over a second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const auto renewing = Clock::now();
  const ToolResult second = host.call("s__hello", R"({"name":"second"})");
  EXPECT_FALSE(second.isError) << second.text;
  EXPECT_EQ(second.text, "hello second");
  EXPECT_LT(elapsedMs(renewing), 1500);
  EXPECT_EQ(host.status("s").state, "ready");
}

// ToolCallContext's deadline may be left unset by an embedding program: the call still waits for
// the new session (up to the server's timeout) instead of finding it starting.
TEST(McpFailureTest, ACallWithoutADeadlineAlsoWaitsForTheNewSession) {
  ScriptedHttpServer server("forgets");
  McpHost host(servers("\"s\": " + server.entry()));
  ASSERT_EQ(host.tools().size(), 1u);
  EXPECT_EQ(host.call("s__hello", R"({"name":"first"})").text, "hello first");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const ToolResult second =
      host.provider().callTool("s__hello", R"({"name":"second"})", ToolCallContext{});
  EXPECT_FALSE(second.isError) << second.text;
  EXPECT_EQ(second.text, "hello second");
}

TEST(McpFailureTest, ASessionForgottenAsSoonAsItBeginsIsAFailureNotALoop) {
  ScriptedHttpServer server("forgets");
  McpHost host(servers("\"s\": " + server.entry()));  // no restarts
  ASSERT_EQ(host.tools().size(), 1u);
  EXPECT_EQ(host.call("s__hello", R"({"name":"first"})").text, "hello first");
  const ToolResult lost = host.call("s__hello", R"({"name":"second"})");
  EXPECT_TRUE(contains(lost.text, "HTTP 404")) << lost.text;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(host.status("s").state, "failed");
  EXPECT_TRUE(contains(host.status("s").problem, "HTTP 404")) << host.status("s").problem;
}

TEST(McpFailureTest, AnEventStreamThatEndsBeforeTheAnswerIsResumedWithLastEventId) {
  ScriptedHttpServer server("resumes");
  McpHost host(servers("\"s\": " + server.entry()));
  ASSERT_EQ(host.tools().size(), 1u);
  const ToolResult result = host.call("s__hello", R"({"name":"there"})");
  EXPECT_FALSE(result.isError) << result.text;
  EXPECT_EQ(result.text, "hello there, resumed");
}

TEST(McpFailureTest, ShutdownLeavesNoServerProcessBehind) {
  {
    McpHost host(servers(scripted("s", "ok")));
    ASSERT_EQ(host.tools().size(), 1u);
  }
  // The scripted servers of this test process are children of it: none may be left (the
  // bracket keeps the shell running pgrep from matching itself).
  EXPECT_EQ(::system("pgrep -P $PPID -f '[s]cripted/server.js ok' > /dev/null"), 256);
}

}  // namespace
}  // namespace agent::mcp::test
