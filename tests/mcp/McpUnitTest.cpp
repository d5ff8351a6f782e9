// The MCP plugin's pure parts: configuration, tool names, result text, the argument check and
// the SSE parser.
#include <gtest/gtest.h>

#include <cctype>
#include <map>

#include "config/ServerConfig.hpp"
#include "protocol/ArgumentCheck.hpp"
#include "protocol/Lifecycle.hpp"
#include "protocol/ResultText.hpp"
#include "protocol/ToolNames.hpp"
#include "transport/SseParser.hpp"

namespace agent::mcp {
namespace {

SettingLookup settings(std::map<std::string, std::string> values) {
  return [values](std::string_view key) -> std::optional<std::string> {
    auto it = values.find(std::string(key));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

ResultText textOf(const std::string& json, std::size_t cap = 25000) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  return resultText(document, cap);
}

TEST(McpConfigTest, ReadsStdioAndHttpServersWithSubstitution) {
  McpConfig config;
  parseMcpConfig(R"({"maxRetries": 2, "servers": {
      "fs": {"type": "stdio", "command": "npx", "args": ["-y", "x"], "env": {"TOKEN": "${SECRET}"},
             "cwd": "/tmp", "timeoutInMillis": 1500},
      "gateway": {"type": "streamable-http", "url": "https://router.example/mcp",
                  "headers": {"Authorization": "Bearer ${SECRET}"}, "timeout": 2000}}})",
                 "MCP_SERVERS", settings({{"SECRET", "s3"}}), config);
  ASSERT_TRUE(config.problems.empty()) << config.problems.front();
  ASSERT_EQ(config.servers.size(), 2u);
  EXPECT_EQ(config.maxRetries, 2);
  const ServerConfig& fs = config.servers[0];
  EXPECT_EQ(fs.argv, (std::vector<std::string>{"npx", "-y", "x"}));
  EXPECT_EQ(fs.environment.at(0).second, "s3");
  EXPECT_EQ(fs.workingDirectory, "/tmp");
  EXPECT_EQ(fs.timeout.count(), 1500);
  const ServerConfig& gateway = config.servers[1];
  EXPECT_EQ(gateway.type, ServerConfig::Type::Http);
  EXPECT_EQ(gateway.headers.at(0).second, "Bearer s3");
  EXPECT_EQ(gateway.timeout.count(), 2000);
}

TEST(McpConfigTest, EachBadServerIsOneLineNamingItAndTheFieldAndTheOthersStay) {
  McpConfig config;
  parseMcpConfig(R"({"servers": {
      "a": {"type": "carrier-pigeon", "command": "x"},
      "b": {"type": "stdio"},
      "c": {"type": "http", "url": "ftp://x"},
      "d": {"command": "x", "timeoutInMillis": -5},
      "e": {"type": "sse", "url": "http://x/sse"},
      "f": {"command": "x", "env": {"K": "${NOT_SET}"}},
      "good": {"command": "x"}}})",
                 "MCP_SERVERS", settings({}), config);
  ASSERT_EQ(config.servers.size(), 1u);
  EXPECT_EQ(config.servers[0].name, "good");
  ASSERT_EQ(config.problems.size(), 6u);
  const std::vector<std::string> expected{"server a", "server b", "server c",
                                          "server d", "server e", "server f"};
  const std::vector<std::string> fields{"type", "command", "url", "timeoutInMillis",
                                        "sse",  "NOT_SET"};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NE(config.problems[i].find(expected[i]), std::string::npos) << config.problems[i];
    EXPECT_NE(config.problems[i].find(fields[i]), std::string::npos) << config.problems[i];
    EXPECT_EQ(config.problems[i].find('\n'), std::string::npos);
  }
}

TEST(McpConfigTest, BrokenJsonIsOneProblem) {
  McpConfig config;
  parseMcpConfig("{nope", "MCP_SERVERS", settings({}), config);
  ASSERT_EQ(config.problems.size(), 1u);
  EXPECT_NE(config.problems[0].find("MCP_SERVERS is not valid JSON"), std::string::npos);
}

TEST(McpToolNamesTest, ServerAndToolJoinedAndFittedToTheModelsPattern) {
  EXPECT_EQ(modelToolName("everything", "get-sum"), "everything__get-sum");
  EXPECT_EQ(modelToolName("my server", "a.b/c"), "my_server__a_b_c");
  const std::string tool(80, 'x');
  const std::string name = modelToolName("s", tool);
  EXPECT_EQ(name.size(), 64u);
  EXPECT_EQ(name.substr(0, 55), ("s__" + tool).substr(0, 55));
  EXPECT_NE(modelToolName("s", tool + "1"), modelToolName("s", tool + "2"));
  for (const char c : name)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
}

TEST(McpResultTextTest, EachContentTypeBecomesTextOrAPlaceholder) {
  const auto result = textOf(R"({"content": [
      {"type": "text", "text": "hello"},
      {"type": "image", "data": "AAAA", "mimeType": "image/png"},
      {"type": "audio", "data": "AAAAAA==", "mimeType": "audio/wav"},
      {"type": "resource", "resource": {"uri": "test://1", "text": "body"}},
      {"type": "resource", "resource": {"uri": "test://2", "blob": "AAAA", "mimeType": "application/x"}},
      {"type": "resource_link", "uri": "test://3", "name": "three", "mimeType": "text/plain"}]})");
  EXPECT_FALSE(result.isError);
  EXPECT_EQ(
      result.text,
      "hello\n[image image/png, 3 bytes]\n[audio audio/wav, 4 bytes]\nResource (test://1):\n"
      "body\n[blob application/x, 3 bytes, test://2]\n[resource link text/plain, test://3] three");
}

TEST(McpResultTextTest, StructuredContentOnlyWhenNoPartIsText) {
  EXPECT_EQ(textOf(R"({"content": [], "structuredContent": {"t": 1}})").text, R"({"t":1})");
  EXPECT_EQ(
      textOf(R"({"content": [{"type":"text","text":"x"}], "structuredContent": {"t": 1}})").text,
      "x");
  EXPECT_TRUE(textOf(R"({"content": [{"type":"text","text":"no"}], "isError": true})").isError);
}

TEST(McpResultTextTest, ALongResultKeepsHeadAndTailAndSaysWhatWasCut) {
  const std::string text = "HEAD" + std::string(100000, 'x') + "TAIL";
  const std::string capped = capText(text, 1000);
  EXPECT_LT(capped.size(), 1100u);
  EXPECT_EQ(capped.substr(0, 4), "HEAD");
  EXPECT_EQ(capped.substr(capped.size() - 4), "TAIL");
  EXPECT_NE(capped.find("99008 of 100008 characters cut"), std::string::npos)
      << capped.substr(600, 80);
  EXPECT_EQ(capText("short", 1000), "short");
}

TEST(McpArgumentCheckTest, RequiredAndPlainTypesAreCheckedAndUnknownKeywordsNever) {
  const std::string schema = R"({"type":"object","required":["a"],"properties":{
      "a":{"type":"integer"},"b":{"type":"string","format":"weird-format","x-custom":1}}})";
  EXPECT_FALSE(checkArguments(R"({"a": 1, "b": "anything"})", schema));
  EXPECT_FALSE(checkArguments(R"({"a": 2.0})", schema));
  EXPECT_TRUE(checkArguments(R"({"b": "x"})", schema));
  EXPECT_TRUE(checkArguments(R"({"a": "1"})", schema));
  EXPECT_TRUE(checkArguments("[1]", schema));
  EXPECT_FALSE(checkArguments("", R"({"type":"object"})"));
  EXPECT_FALSE(checkArguments(R"({"a": 1})", "not a schema"));
}

TEST(McpLifecycleTest, AcceptsTheFourPublishedVersionsBefore2026) {
  for (const char* version : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"})
    EXPECT_TRUE(isSupportedVersion(version));
  EXPECT_FALSE(isSupportedVersion("2024-10-07"));
  EXPECT_FALSE(isSupportedVersion(""));
}

TEST(McpSseParserTest, EventsIdsAndRetry) {
  std::vector<std::string> events;
  SseParser parser([&](const std::string& type, const std::string& data) {
    events.push_back(type + ":" + data);
  });
  for (const char* line : {": keep-alive", "id: 7", "retry: 250", "data: {\"a\":", "data: 1}", "",
                           "event: other", "data: x", ""})
    parser.line(line);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], "message:{\"a\":\n1}");
  EXPECT_EQ(events[1], "other:x");
  EXPECT_EQ(parser.lastEventId(), "7");
  EXPECT_EQ(parser.retryMs(), 250);
}

}  // namespace
}  // namespace agent::mcp
