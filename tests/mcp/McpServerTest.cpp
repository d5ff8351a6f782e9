// The MCP plugin against the real npm servers (server-everything, server-filesystem), loaded as
// mcp.so through the host's loader, over stdio and Streamable HTTP.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "McpTestSupport.hpp"

namespace agent::mcp::test {
namespace {

std::string everything(const std::string& extra = "") {
  return stdioServer({serverBin("mcp-server-everything").string(), "stdio"}, extra);
}

std::string filesystem(const std::filesystem::path& root) {
  return stdioServer({serverBin("mcp-server-filesystem").string(), root.string()});
}

const ProvidedTool* find(const std::vector<ProvidedTool>& tools, const std::string& name) {
  for (const ProvidedTool& tool : tools) {
    if (tool.definition.name == name) return &tool;
  }
  return nullptr;
}

TEST(McpServerTest, EverythingHandshakeAndItsThirteenTools) {
  McpHost host(R"({"servers": {"everything": )" + everything() + "}}");
  const auto tools = host.tools();
  const ToolSourceStatus status = host.status("everything");
  EXPECT_EQ(status.state, "ready") << status.problem;
  EXPECT_TRUE(contains(status.detail, "protocol 2025-11-25")) << status.detail;
  EXPECT_EQ(status.toolCount, 13);
  std::set<std::string> names;
  for (const ProvidedTool& tool : tools) {
    names.insert(tool.originalName);
    EXPECT_EQ(tool.definition.name, "everything__" + tool.originalName);
    EXPECT_EQ(tool.source, "everything");
    EXPECT_FALSE(tool.definition.parameters.empty());
  }
  EXPECT_EQ(names,
            (std::set<std::string>{"echo", "get-annotated-message", "get-env", "get-resource-links",
                                   "get-resource-reference", "get-structured-content", "get-sum",
                                   "get-tiny-image", "gzip-file-as-resource",
                                   "toggle-simulated-logging", "toggle-subscriber-updates",
                                   "trigger-long-running-operation", "simulate-research-query"}));
}

TEST(McpServerTest, FilesystemFourteenToolsWithReadOnlyHints) {
  agent::test::TempDir root;
  McpHost host(R"({"servers": {"filesystem": )" + filesystem(root.path()) + "}}");
  const auto tools = host.tools();
  EXPECT_EQ(tools.size(), 14u) << host.status("filesystem").problem;
  const ProvidedTool* read = find(tools, "filesystem__read_text_file");
  const ProvidedTool* write = find(tools, "filesystem__write_file");
  ASSERT_NE(read, nullptr);
  ASSERT_NE(write, nullptr);
  EXPECT_TRUE(read->readOnly);
  EXPECT_FALSE(write->readOnly);
}

TEST(McpServerTest, EachContentTypeReachesTheModelAsText) {
  McpHost host(R"({"servers": {"everything": )" + everything() + "}}");
  ASSERT_FALSE(host.tools().empty());
  EXPECT_EQ(host.call("everything__echo", R"({"message":"hi"})").text, "Echo: hi");
  EXPECT_TRUE(contains(host.call("everything__get-sum", R"({"a":2,"b":3})").text, "is 5"));
  const ToolResult image = host.call("everything__get-tiny-image", "{}");
  EXPECT_TRUE(contains(image.text, "[image image/png, ")) << image.text;
  EXPECT_LT(image.text.size(), 500u);  // no base64 for the model
  const ToolResult reference = host.call("everything__get-resource-reference", "{}");
  EXPECT_TRUE(contains(reference.text, "Resource (")) << reference.text;
  const ToolResult links = host.call("everything__get-resource-links", "{}");
  EXPECT_TRUE(contains(links.text, "[resource link")) << links.text;
  const ToolResult structured =
      host.call("everything__get-structured-content", R"({"location":"Chicago"})");
  EXPECT_FALSE(structured.isError) << structured.text;
  EXPECT_TRUE(contains(structured.raw, "structuredContent")) << structured.raw;
  EXPECT_TRUE(contains(structured.text, "temperature")) << structured.text;
}

TEST(McpServerTest, APathOutsideTheRootIsAToolErrorTheModelReads) {
  agent::test::TempDir root;
  McpHost host(R"({"servers": {"filesystem": )" + filesystem(root.path()) + "}}");
  ASSERT_FALSE(host.tools().empty());
  const ToolResult result = host.call("filesystem__read_text_file", R"({"path":"/etc/hostname"})");
  EXPECT_TRUE(result.isError);
  EXPECT_TRUE(contains(result.text, "outside") || contains(result.text, "denied")) << result.text;
  const std::filesystem::path file = root.write("notes.txt", "the notes");
  const ToolResult ok =
      host.call("filesystem__read_text_file", "{\"path\":\"" + file.string() + "\"}");
  EXPECT_FALSE(ok.isError) << ok.text;
  EXPECT_EQ(ok.text, "the notes");
}

TEST(McpServerTest, ArgumentsThatMissARequiredPropertyNeverLeave) {
  McpHost host(R"({"servers": {"everything": )" + everything() + "}}");
  ASSERT_FALSE(host.tools().empty());
  const ToolResult result = host.call("everything__get-sum", R"({"a":2})");
  EXPECT_TRUE(result.isError);
  EXPECT_TRUE(contains(result.text, "'b' is required")) << result.text;
}

TEST(McpServerTest, ProgressKeepsALongOperationAlivePastTheTimeout) {
  // 2 s of work with progress every 0.5 s, against a 1 s timeout.
  McpHost host(R"({"servers": {"everything": )" + everything(R"("timeoutInMillis": 1000)") + "}}");
  ASSERT_FALSE(host.tools().empty());
  const ToolResult result =
      host.call("everything__trigger-long-running-operation", R"({"duration":2,"steps":4})");
  EXPECT_FALSE(result.isError) << result.text;
  EXPECT_TRUE(contains(result.text, "completed")) << result.text;
}

TEST(McpServerTest, StreamableHttpAgainstEverything) {
  const int port = agent::test::unusedLoopbackPort();
  agent::test::EnvMap env{{"PORT", std::to_string(port)}, {"PATH", std::getenv("PATH")}};
  BackgroundProcess server({serverBin("mcp-server-everything").string(), "streamableHttp"}, env);
  ASSERT_TRUE(waitForPort(port, std::chrono::seconds(20)));
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/mcp";
  McpHost host(R"({"servers": {"web": {"type": "streamable-http", "url": ")" + url + "\"}}}");
  const auto tools = host.tools();
  EXPECT_EQ(tools.size(), 13u) << host.status("web").problem;
  EXPECT_TRUE(contains(host.status("web").detail, "protocol 2025-11-25"));
  EXPECT_EQ(host.call("web__echo", R"({"message":"over http"})").text, "Echo: over http");
  // A call answered as an SSE stream with progress on the way.
  const ToolResult progress =
      host.call("web__trigger-long-running-operation", R"({"duration":1,"steps":2})");
  EXPECT_FALSE(progress.isError) << progress.text;
}

TEST(McpServerTest, EnvironmentValuesComeFromSettingsAndSecretsStayOut) {
  McpHost host(R"({"servers": {"everything": )" +
                   everything(R"("env": {"GREETING": "hello ${NAME_SETTING}"})") + "}}",
               {{"NAME_SETTING", "world"}, {"BITROUTER_API_KEY", "brvk_must_not_leak"}});
  ASSERT_FALSE(host.tools().empty());
  const ToolResult env = host.call("everything__get-env", "{}");
  EXPECT_TRUE(contains(env.text, "hello world")) << env.text.substr(0, 300);
  EXPECT_FALSE(contains(env.text, "brvk_must_not_leak"));
  EXPECT_FALSE(contains(host.finish(), "world"));  // values are never logged
}

}  // namespace
}  // namespace agent::mcp::test
