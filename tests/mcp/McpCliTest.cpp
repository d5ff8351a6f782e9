// agent-host mcp list / mcp call, and generate's tool loop with MCP tools, as users run them: the
// real binary, the real mcp.so (and bitrouter.so against the stand-in), the real npm servers.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "BitRouterStandin.hpp"
#include "McpTestSupport.hpp"
#include "agent/test/ProcessRunner.hpp"

namespace agent::mcp::test {
namespace {

using agent::standin::BitRouterStandin;
using agent::test::ProcessResult;

class McpCliTest : public ::testing::Test {
 protected:
  McpCliTest() {
    plugins_.addPlugin(MCP_PLUGIN_FILE, "mcp.so");
    plugins_.addPlugin(BITROUTER_PLUGIN_FILE, "bitrouter.so");
  }

  ProcessResult run(std::vector<std::string> args, agent::test::EnvMap env = {},
                    const std::string& input = "") {
    args.insert(args.begin(), {"--plugins-dir", plugins_.path().string()});
    return agent::test::runProcess(AGENT_HOST_EXE, args, env, input);
  }

  std::string fsConfig() const {
    return R"({"servers": {"filesystem": )" +
           stdioServer({serverBin("mcp-server-filesystem").string(), root_.path().string()}) +
           R"(, "everything": )" +
           stdioServer({serverBin("mcp-server-everything").string(), "stdio"}) + "}}";
  }

  agent::test::TempDir plugins_;
  agent::test::TempDir root_;
};

TEST_F(McpCliTest, ListShowsEachServerAndItsTools) {
  const ProcessResult result = run({"mcp", "list"}, {{"MCP_SERVERS", fsConfig()}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "filesystem  ready  protocol 2025-11-25")) << result.out;
  EXPECT_TRUE(contains(result.out, "14 tools")) << result.out;
  EXPECT_TRUE(contains(result.out, "13 tools")) << result.out;
  EXPECT_TRUE(contains(result.out, "  filesystem__read_text_file  (read_text_file)  "))
      << result.out;
  EXPECT_TRUE(contains(result.out, "  everything__echo  (echo)  ")) << result.out;
  const ProcessResult one =
      run({"mcp", "list", "everything", "--json"}, {{"MCP_SERVERS", fsConfig()}});
  ASSERT_EQ(one.exitCode, 0) << one.err;
  rapidjson::Document json;
  json.Parse(one.out.c_str());
  ASSERT_TRUE(json.IsObject()) << one.out;
  ASSERT_EQ(json["servers"].Size(), 1u);
  EXPECT_EQ(json["servers"][0]["tools"].Size(), 13u);
}

TEST_F(McpCliTest, CallPrintsTheResultAndExitsOneOnAToolError) {
  const ProcessResult echo = run({"mcp", "call", "everything", "echo", R"({"message":"hi"})"},
                                 {{"MCP_SERVERS", fsConfig()}});
  ASSERT_EQ(echo.exitCode, 0) << echo.err;
  EXPECT_EQ(echo.out, "Echo: hi\n");
  const ProcessResult json =
      run({"mcp", "call", "everything", "echo", R"({"message":"hi"})", "--json"},
          {{"MCP_SERVERS", fsConfig()}});
  EXPECT_TRUE(contains(json.out, R"("content":[{"type":"text","text":"Echo: hi"}])")) << json.out;
  const ProcessResult denied =
      run({"mcp", "call", "filesystem", "read_text_file", R"({"path":"/etc/hostname"})"},
          {{"MCP_SERVERS", fsConfig()}});
  EXPECT_EQ(denied.exitCode, 1);
  EXPECT_TRUE(contains(denied.err, "filesystem__read_text_file failed: ")) << denied.err;
  const ProcessResult unknown = run({"mcp", "call", "nosuch", "x"}, {{"MCP_SERVERS", fsConfig()}});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_TRUE(contains(unknown.err, "no MCP server is named 'nosuch'")) << unknown.err;
}

TEST_F(McpCliTest, AServerGivenOnTheCommandLine) {
  const std::string command = serverBin("mcp-server-everything").string() + " stdio";
  const ProcessResult list = run({"mcp", "list", "--stdio", command});
  ASSERT_EQ(list.exitCode, 0) << list.err;
  EXPECT_TRUE(contains(list.out, "server  ready")) << list.out;
  const ProcessResult call =
      run({"mcp", "call", "--stdio", command, "get-sum", R"({"a":1,"b":2})"});
  ASSERT_EQ(call.exitCode, 0) << call.err;
  EXPECT_TRUE(contains(call.out, "is 3")) << call.out;
  // A URL as the last word: nobody listens there, which is one line, exit 1, no hang.
  const ProcessResult url =
      run({"mcp", "call", "echo", "{}",
           "http://127.0.0.1:" + std::to_string(agent::test::unusedLoopbackPort()) + "/mcp"},
          {{"MCP_STARTUP_TIMEOUT_MS", "3000"}});
  EXPECT_EQ(url.exitCode, 1) << url.out << url.err;
  EXPECT_TRUE(contains(url.err, "not ready")) << url.err;
}

TEST_F(McpCliTest, TheModelCallsAnMcpToolAndReadsItsResultInTheLoop) {
  BitRouterStandin standin;
  standin.start();
  const auto file = root_.write("notes.txt", "The launch code is 4242.");
  standin.script({.toolCalls = {{"call_1", "filesystem__read_text_file",
                                 "{\"path\":\"" + file.string() + "\"}"}}});
  standin.script({.content = "The code is 4242."});
  agent::test::EnvMap env{{"MCP_SERVERS", fsConfig()},
                          {"BITROUTER_BASE_URL", standin.baseUrl()},
                          {"BITROUTER_API_KEY", "brvk_secret_for_mcp"}};
  const ProcessResult result = run({"generate", "What is the launch code?"}, env);
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "The code is 4242.\n");
  const auto requests = standin.requests();
  std::vector<std::string> bodies;
  for (const auto& request : requests) {
    if (contains(request.path, "/chat/completions")) bodies.push_back(request.body);
  }
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_TRUE(contains(bodies[0], "\"name\":\"filesystem__read_text_file\""))
      << bodies[0].substr(0, 300);
  EXPECT_TRUE(contains(bodies[1], "The launch code is 4242.")) << bodies[1];
  // --no-mcp: no server starts, no MCP tool is offered.
  standin.script({.content = "no tools"});
  const ProcessResult bare = run({"generate", "--no-mcp", "hi"}, env);
  ASSERT_EQ(bare.exitCode, 0) << bare.err;
  EXPECT_FALSE(contains(standin.requests().back().body, "filesystem__"))
      << standin.requests().back().body;
}

// chat asks the servers for their tools before each model call, as generate's loop does: a tool
// a server adds mid-conversation (notifications/tools/list_changed) is offered from then on.
TEST_F(McpCliTest, ChatSeesAToolAServerAddsDuringTheConversation) {
  BitRouterStandin standin;
  standin.start();
  standin.script({.toolCalls = {{"call_1", "scripted__grow", "{}"}}});
  standin.script({.content = "It grew."});
  standin.script({.content = "Now there is more."});
  const std::string servers = R"({"servers": {"scripted": )" + scriptedCommand("changing") + "}}";
  const ProcessResult result =
      run({"chat", "--yes"}, {{"MCP_SERVERS", servers}, {"BITROUTER_BASE_URL", standin.baseUrl()}},
          "grow please\n/tools\nand now?\n");
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "It grew.")) << result.out;
  EXPECT_TRUE(contains(result.out + result.err, "scripted__extra")) << result.out << result.err;
  std::vector<std::string> bodies;
  for (const auto& request : standin.requests()) {
    if (contains(request.path, "/chat/completions")) bodies.push_back(request.body);
  }
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_FALSE(contains(bodies[0], "scripted__extra")) << bodies[0].substr(0, 400);
  EXPECT_TRUE(contains(bodies[2], "\"name\":\"scripted__extra\"")) << bodies[2].substr(0, 400);
}

}  // namespace
}  // namespace agent::mcp::test
