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
  std::filesystem::copy_file(
      BITROUTER_PLUGIN_FILE,
      plugins.path() / "bitrouter.so");  // the loader follows no symbolic link
  std::filesystem::copy_file(OTEL_PLUGIN_FILE,
                             plugins.path() / "otel.so");  // the loader follows no symbolic link

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

}  // namespace
}  // namespace agent::otel::test
