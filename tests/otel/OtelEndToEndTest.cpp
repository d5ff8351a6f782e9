// End to end: `agent-host generate` with the real bitrouter.so and otel.so against the BitRouter
// stand-in, exporting to a loopback collector.
//
// Written for the host that traces every call (trace contexts, the provider's server address):
// it checks the structure of what arrives (span names, kinds, well-formed and linked ids, the
// GenAI attributes), never exact ids.
#include <filesystem>
#include <regex>

#include "BitRouterStandin.hpp"
#include "OtelTestSupport.hpp"
#include "OtlpReceiver.hpp"
#include "agent/test/ProcessRunner.hpp"
#include "agent/test/TempDir.hpp"

namespace agent::otel::test {
namespace {

using namespace std::chrono_literals;

TEST(OtelEndToEnd, GenerateBecomesAChatSpanAndMetrics) {
  standin::BitRouterStandin router;
  router.start();
  OtlpReceiver collector;
  const agent::test::TempDir plugins;
  plugins.addPlugin(BITROUTER_PLUGIN_FILE, "bitrouter.so");
  plugins.addPlugin(OTEL_PLUGIN_FILE, "otel.so");

  const auto result =
      agent::test::runProcess(AGENT_HOST_EXE,
                              {"--plugins-dir", plugins.path().string(), "generate", "--stream",
                               "--max-tokens", "50", "--temperature", "0.25", "Say hello"},
                              {{"BITROUTER_BASE_URL", router.baseUrl()},
                               {"OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl()},
                               {"OTEL_SERVICE_NAME", "e2e-agent"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "Stand-in reply from gpt-4o-mini: Say hello\n");
  // The exit's final flush sent both signals; nothing was said about the collector.
  EXPECT_EQ(result.err.find("cannot export"), std::string::npos) << result.err;

  const auto traces = collector.requestsTo("/v1/traces");
  ASSERT_EQ(traces.size(), 1u);
  const rapidjson::Document decoded = checkWithProtobuf("traces", traces[0].body);
  ASSERT_FALSE(decoded.IsNull());
  EXPECT_EQ(attribute(decoded["resourceSpans"][0]["resource"], "service.name"), "e2e-agent");
  const auto spans = spansOf(decoded);
  const rapidjson::Value* chat = nullptr;
  for (const auto* span : spans) {
    if (std::string((*span)["name"].GetString()) == "chat gpt-4o-mini") chat = span;
  }
  ASSERT_NE(chat, nullptr) << traces[0].body;
  EXPECT_EQ((*chat)["kind"].GetInt(), 3);
  const std::regex traceId("[0-9a-f]{32}");
  const std::regex spanId("[0-9a-f]{16}");
  EXPECT_TRUE(std::regex_match(std::string((*chat)["traceId"].GetString()), traceId));
  EXPECT_TRUE(std::regex_match(std::string((*chat)["spanId"].GetString()), spanId));
  if (chat->HasMember("parentSpanId") && (*chat)["parentSpanId"].GetStringLength() > 0) {
    EXPECT_TRUE(std::regex_match(std::string((*chat)["parentSpanId"].GetString()), spanId));
    EXPECT_STRNE((*chat)["parentSpanId"].GetString(), (*chat)["spanId"].GetString());
  }
  // Every span of the export belongs to the call's trace (a parent the host exported too).
  for (const auto* span : spans)
    EXPECT_STREQ((*span)["traceId"].GetString(), (*chat)["traceId"].GetString());
  EXPECT_EQ(attribute(*chat, "gen_ai.operation.name"), "chat");
  EXPECT_EQ(attribute(*chat, "gen_ai.provider.name"), "bitrouter");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.model"), "gpt-4o-mini");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.max_tokens"), "50");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.temperature"), "0.25");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.stream"), "true");
  EXPECT_TRUE(attribute(*chat, "gen_ai.response.id").has_value());
  EXPECT_EQ(attribute(*chat, "gen_ai.response.finish_reasons"), "[stop]");
  EXPECT_TRUE(attribute(*chat, "gen_ai.usage.input_tokens").has_value());
  EXPECT_TRUE(attribute(*chat, "gen_ai.usage.output_tokens").has_value());
  EXPECT_TRUE(attribute(*chat, "gen_ai.response.time_to_first_chunk").has_value());
  EXPECT_EQ(attribute(*chat, "server.address"), "127.0.0.1");
  EXPECT_EQ(attribute(*chat, "server.port"), std::to_string(router.port()));

  const auto metrics = collector.requestsTo("/v1/metrics");
  ASSERT_FALSE(metrics.empty());
  EXPECT_FALSE(checkWithProtobuf("metrics", metrics.back().body).IsNull());
}

// The span of `spans` named `name`; null when there is none.
const rapidjson::Value* spanNamed(const std::vector<const rapidjson::Value*>& spans,
                                  const std::string& name) {
  for (const auto* span : spans) {
    if (std::string((*span)["name"].GetString()) == name) return span;
  }
  return nullptr;
}

std::string parentOf(const rapidjson::Value& span) {
  return span.HasMember("parentSpanId") ? span["parentSpanId"].GetString() : "";
}

// A tool loop is one trace: `invoke_agent` at the root, its model calls and tool runs as children;
// the trace also reaches BitRouter (the traceparent header of each request) and the MCP server
// (the tools/call's params._meta), so a traced router or server joins it.
TEST(OtelEndToEnd, AToolLoopIsOneTraceThatReachesBitRouterAndTheMcpServer) {
  standin::BitRouterStandin router;
  router.start();
  router.script({.toolCalls = {{"call_1", "scripted__trace", "{}"}}});
  router.script({.content = "traced"});
  OtlpReceiver collector;
  const agent::test::TempDir plugins;
  plugins.addPlugin(BITROUTER_PLUGIN_FILE, "bitrouter.so");
  plugins.addPlugin(OTEL_PLUGIN_FILE, "otel.so");
  plugins.addPlugin(MCP_PLUGIN_FILE, "mcp.so");
  const std::string servers = R"({"servers":{"scripted":{"type":"stdio","command":")" +
                              std::string(NODE_EXECUTABLE) + R"(","args":[")" +
                              MCP_SCRIPTED_SERVER + R"(","traced"]}}})";

  const auto result = agent::test::runProcess(
      AGENT_HOST_EXE, {"--plugins-dir", plugins.path().string(), "generate", "Trace this"},
      {{"BITROUTER_BASE_URL", router.baseUrl()},
       {"MCP_SERVERS", servers},
       {"OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl()},
       {"OTEL_SERVICE_NAME", "loop-agent"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "traced\n");

  const auto traces = collector.requestsTo("/v1/traces");
  std::vector<rapidjson::Document> decoded;
  std::vector<const rapidjson::Value*> spans;
  for (const auto& request : traces) {
    decoded.push_back(checkWithProtobuf("traces", request.body));
    ASSERT_FALSE(decoded.back().IsNull());
  }
  for (const auto& document : decoded) {
    for (const auto* span : spansOf(document))
      spans.push_back(span);
  }
  const rapidjson::Value* run = spanNamed(spans, "invoke_agent");
  const rapidjson::Value* tool = spanNamed(spans, "execute_tool scripted__trace");
  ASSERT_NE(run, nullptr);
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(parentOf(*run), "");
  EXPECT_EQ((*run)["kind"].GetInt(), 1);  // INTERNAL
  EXPECT_EQ(attribute(*run, "gen_ai.operation.name"), "invoke_agent");
  EXPECT_EQ(attribute(*run, "gen_ai.provider.name"), "bitrouter");
  EXPECT_EQ(attribute(*run, "agent_host.run.steps"), "2");
  EXPECT_EQ(attribute(*run, "agent_host.run.tool_runs"), "1");
  const std::string traceId = (*run)["traceId"].GetString();
  const std::string runSpan = (*run)["spanId"].GetString();
  EXPECT_EQ(parentOf(*tool), runSpan);
  EXPECT_EQ(attribute(*tool, "agent_host.tool.source"), "scripted");

  std::vector<std::string> chatSpans;
  for (const auto* span : spans) {
    EXPECT_EQ((*span)["traceId"].GetString(), traceId) << (*span)["name"].GetString();
    if (std::string((*span)["name"].GetString()) != "chat gpt-4o-mini") continue;
    EXPECT_EQ(parentOf(*span), runSpan);
    chatSpans.push_back((*span)["spanId"].GetString());
  }
  ASSERT_EQ(chatSpans.size(), 2u);

  // Each request to BitRouter carried its own call's span.
  std::vector<std::string> sent;
  for (const auto& request : router.requests()) {
    if (request.path != "/v1/chat/completions") continue;
    const auto header = request.headers.find("traceparent");
    ASSERT_NE(header, request.headers.end());
    sent.push_back(header->second);
  }
  ASSERT_EQ(sent.size(), 2u);
  for (const std::string& traceparent : sent) {
    const bool known = traceparent == "00-" + traceId + "-" + chatSpans[0] + "-01" ||
                       traceparent == "00-" + traceId + "-" + chatSpans[1] + "-01";
    EXPECT_TRUE(known) << traceparent;
  }
  EXPECT_NE(sent[0], sent[1]);
  // The MCP server heard the tool run's span, and said so in the result the model read.
  const std::string toolTraceparent = "00-" + traceId + "-" + (*tool)["spanId"].GetString() + "-01";
  EXPECT_NE(router.requests().back().body.find("traceparent " + toolTraceparent), std::string::npos)
      << router.requests().back().body;
}

}  // namespace
}  // namespace agent::otel::test
