// The otel plugin, loaded by the host's loader, turns events into OTLP/JSON that a loopback
// collector receives; each payload is checked against the OTLP protobuf definitions and read back
// as a collector decodes it.
#include <algorithm>
#include <map>

#include "OtelTestSupport.hpp"
#include "OtlpReceiver.hpp"

namespace agent::otel::test {
namespace {

using namespace std::chrono_literals;

const rapidjson::Value* spanNamed(const std::vector<const rapidjson::Value*>& spans,
                                  const std::string& name) {
  for (const auto* span : spans) {
    if (name == (*span)["name"].GetString()) return span;
  }
  return nullptr;
}

testing::FakeHostServices::SettingMap exporterSettings(const OtlpReceiver& receiver) {
  return {{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.baseUrl() + "/"},
          {"OTEL_SERVICE_NAME", "otel-test"},
          {"OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test%20env,team=agents"},
          {"OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=abc%3D1, x-tenant = t1"},
          {"OTEL_BSP_SCHEDULE_DELAY", "50"},
          {"OTEL_METRIC_EXPORT_INTERVAL", "100"}};
}

TEST(OtelExport, IsDisabledWithoutAnEndpoint) {
  LoadedOtel plugin(testing::FakeHostServices::SettingMap{});
  EXPECT_EQ(plugin.report().status, host::PluginReport::Status::Disabled);
  EXPECT_EQ(plugin.observer(), nullptr);
}

TEST(OtelExport, RefusesAnHttpsEndpointWithAOneLineReason) {
  LoadedOtel plugin(testing::FakeHostServices::SettingMap{
      {"OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector.example:4318"}});
  EXPECT_FALSE(plugin.loaded());
  EXPECT_NE(plugin.report().reason.find("https endpoints are not supported"), std::string::npos)
      << plugin.report().reason;
}

TEST(OtelExport, ToolLoopBecomesOneTraceOfGenAiSpans) {
  OtlpReceiver receiver;
  LoadedOtel plugin(exporterSettings(receiver));
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  EventObserver* observer = plugin.observer();
  ASSERT_NE(observer, nullptr);

  // A tool loop: trace 1 under the loop's span 9: a model call, a tool run, a second model call.
  ModelUsedEvent first = sampleModelUsed(traceContext(1, 2, 9));
  observer->onModelUsed(first);
  ToolEndedEvent tool;
  tool.tool = "get_weather";
  tool.callId = "call_1";
  tool.source = "weather-mcp";
  tool.startTime = std::chrono::system_clock::now();
  tool.duration = 30ms;
  tool.trace = traceContext(1, 3, 9);
  observer->onToolEnded(tool);
  ToolEndedEvent brokenTool = tool;
  brokenTool.tool = "read_file";
  brokenTool.failed = true;
  brokenTool.error = "no such file";
  brokenTool.trace = traceContext(1, 4, 9);
  observer->onToolEnded(brokenTool);
  ModelUsedEvent second = sampleModelUsed(traceContext(1, 5, 9));
  second.model = "gpt-4o";
  second.tokens = TokenUsage{};  // counts the server did not send stay absent
  second.tokens.promptTokens = 30;
  second.tokens.completionTokens = 3;
  second.request = RequestedSampling{};
  second.timeToFirstChunk.reset();
  second.streamed = false;
  observer->onModelUsed(second);
  // A failed call of its own trace.
  ModelFailedEvent failed;
  failed.provider = "bitrouter";
  failed.model = "gpt-4o";
  failed.kind = ErrorKind::RateLimited;
  failed.httpStatus = 429;
  failed.message = "rate limited";
  failed.duration = 40ms;
  failed.startTime = std::chrono::system_clock::now();
  failed.trace = traceContext(2, 6, 0);
  failed.serverAddress = "127.0.0.1";
  failed.serverPort = 4356;
  observer->onModelFailed(failed);

  ASSERT_TRUE(receiver.waitFor("/v1/traces", 1, 5s));
  ASSERT_TRUE(receiver.waitFor("/v1/metrics", 1, 5s));
  plugin.unload();  // the final flush sends whatever is left

  std::vector<std::string> spanBodies;
  for (const auto& request : receiver.requestsTo("/v1/traces")) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.contentType, "application/json");
    EXPECT_EQ(request.headers.at("x-api-key"), "abc=1");
    EXPECT_EQ(request.headers.at("x-tenant"), "t1");
    spanBodies.push_back(request.body);
  }
  std::vector<rapidjson::Document> decoded;
  std::vector<const rapidjson::Value*> spans;
  for (const auto& body : spanBodies) {
    decoded.push_back(checkWithProtobuf("traces", body));
    if (decoded.back().IsNull()) return;
    const auto& resource = decoded.back()["resourceSpans"][0]["resource"];
    EXPECT_EQ(attribute(resource, "service.name"), "otel-test");
    EXPECT_EQ(attribute(resource, "deployment.environment"), "test env");
    EXPECT_EQ(attribute(resource, "team"), "agents");
    for (const auto* span : spansOf(decoded.back()))
      spans.push_back(span);
  }
  ASSERT_EQ(spans.size(), 5u);

  const rapidjson::Value* chat = spanNamed(spans, "chat gpt-4o-mini");
  ASSERT_NE(chat, nullptr);
  EXPECT_EQ((*chat)["kind"].GetInt(), 3);  // CLIENT
  EXPECT_EQ((*chat)["traceId"].GetString(), hexTraceId(1));
  EXPECT_EQ((*chat)["spanId"].GetString(), hexSpanId(2));
  EXPECT_EQ((*chat)["parentSpanId"].GetString(), hexSpanId(9));
  const auto start = std::stoull((*chat)["startTimeUnixNano"].GetString());
  const auto end = std::stoull((*chat)["endTimeUnixNano"].GetString());
  EXPECT_EQ(end - start, 250'000'000u);
  EXPECT_FALSE(chat->HasMember("status") && (*chat)["status"].HasMember("code"));
  EXPECT_EQ(attribute(*chat, "gen_ai.operation.name"), "chat");
  EXPECT_EQ(attribute(*chat, "gen_ai.provider.name"), "bitrouter");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.model"), "gpt-4o-mini");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.max_tokens"), "100");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.temperature"), "0.5");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.seed"), "7");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.stop_sequences"), "[END,STOP]");
  EXPECT_EQ(attribute(*chat, "gen_ai.request.top_p"), std::nullopt);  // not set, not sent
  EXPECT_EQ(attribute(*chat, "gen_ai.response.id"), "chatcmpl-42");
  EXPECT_EQ(attribute(*chat, "gen_ai.response.model"), "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(attribute(*chat, "gen_ai.response.finish_reasons"), "[stop]");
  EXPECT_EQ(attribute(*chat, "gen_ai.usage.input_tokens"), "12");
  EXPECT_EQ(attribute(*chat, "gen_ai.usage.output_tokens"), "7");
  EXPECT_EQ(attribute(*chat, "gen_ai.usage.cache_read.input_tokens"), "4");
  EXPECT_EQ(attribute(*chat, "gen_ai.usage.reasoning.output_tokens"), "2");
  EXPECT_EQ(attribute(*chat, "gen_ai.usage.cache_creation.input_tokens"), std::nullopt);
  EXPECT_EQ(attribute(*chat, "gen_ai.request.stream"), "true");
  EXPECT_EQ(attribute(*chat, "gen_ai.response.time_to_first_chunk"), "0.08");
  EXPECT_EQ(attribute(*chat, "server.address"), "127.0.0.1");
  EXPECT_EQ(attribute(*chat, "server.port"), "4356");
  // Content capture is off: the prompt goes nowhere.
  EXPECT_EQ(attribute(*chat, "gen_ai.input.messages"), std::nullopt);
  for (const auto& body : spanBodies)
    EXPECT_EQ(body.find("capital of France"), std::string::npos);

  const rapidjson::Value* second_ = spanNamed(spans, "chat gpt-4o");
  ASSERT_NE(second_, nullptr);
  EXPECT_EQ((*second_)["parentSpanId"].GetString(), hexSpanId(9));
  EXPECT_EQ(attribute(*second_, "gen_ai.usage.cache_read.input_tokens"), std::nullopt);
  EXPECT_EQ(attribute(*second_, "gen_ai.response.time_to_first_chunk"), std::nullopt);
  EXPECT_EQ(attribute(*second_, "gen_ai.request.max_tokens"), std::nullopt);

  const rapidjson::Value* toolSpan = spanNamed(spans, "execute_tool get_weather");
  ASSERT_NE(toolSpan, nullptr);
  EXPECT_EQ((*toolSpan)["kind"].GetInt(), 1);  // INTERNAL
  EXPECT_EQ((*toolSpan)["traceId"].GetString(), hexTraceId(1));
  EXPECT_EQ((*toolSpan)["parentSpanId"].GetString(), hexSpanId(9));
  EXPECT_EQ(attribute(*toolSpan, "gen_ai.operation.name"), "execute_tool");
  EXPECT_EQ(attribute(*toolSpan, "gen_ai.tool.name"), "get_weather");
  EXPECT_EQ(attribute(*toolSpan, "gen_ai.tool.call.id"), "call_1");
  EXPECT_EQ(attribute(*toolSpan, "error.type"), std::nullopt);

  const rapidjson::Value* brokenSpan = spanNamed(spans, "execute_tool read_file");
  ASSERT_NE(brokenSpan, nullptr);
  EXPECT_EQ((*brokenSpan)["status"]["code"].GetInt(), 2);  // ERROR
  EXPECT_TRUE(attribute(*brokenSpan, "error.type").has_value());

  // The failed call: its own trace, a root, status ERROR, error.type.
  const rapidjson::Value* failedSpan = nullptr;
  for (const auto* span : spans) {
    if (std::string((*span)["traceId"].GetString()) == hexTraceId(2)) failedSpan = span;
  }
  ASSERT_NE(failedSpan, nullptr);
  EXPECT_STREQ((*failedSpan)["name"].GetString(), "chat gpt-4o");
  EXPECT_FALSE(failedSpan->HasMember("parentSpanId") &&
               std::string((*failedSpan)["parentSpanId"].GetString()) != "");
  EXPECT_EQ((*failedSpan)["status"]["code"].GetInt(), 2);
  EXPECT_EQ(attribute(*failedSpan, "error.type"), "rate_limited");
  EXPECT_EQ(attribute(*failedSpan, "gen_ai.provider.name"), "bitrouter");

  // Metrics: the last export is cumulative over all three calls.
  const auto metricRequests = receiver.requestsTo("/v1/metrics");
  ASSERT_FALSE(metricRequests.empty());
  const rapidjson::Document metrics = checkWithProtobuf("metrics", metricRequests.back().body);
  ASSERT_FALSE(metrics.IsNull());
  const auto& list = metrics["resourceMetrics"][0]["scopeMetrics"][0]["metrics"];
  const rapidjson::Value* tokens = nullptr;
  const rapidjson::Value* duration = nullptr;
  for (const auto& metric : list.GetArray()) {
    if (std::string(metric["name"].GetString()) == "gen_ai.client.token.usage") tokens = &metric;
    if (std::string(metric["name"].GetString()) == "gen_ai.client.operation.duration") {
      duration = &metric;
    }
  }
  ASSERT_NE(tokens, nullptr);
  ASSERT_NE(duration, nullptr);
  EXPECT_STREQ((*tokens)["unit"].GetString(), "{token}");
  EXPECT_STREQ((*duration)["unit"].GetString(), "s");
  EXPECT_EQ((*tokens)["histogram"]["aggregationTemporality"].GetInt(), 2);  // CUMULATIVE
  const auto& tokenPoints = (*tokens)["histogram"]["dataPoints"];
  ASSERT_EQ(tokenPoints.Size(), 4u);  // 2 models x input/output
  std::map<std::string, std::string> sums;
  for (const auto& point : tokenPoints.GetArray()) {
    const auto type = attribute(point, "gen_ai.token.type");
    ASSERT_TRUE(type == "input" || type == "output");
    EXPECT_EQ(attribute(point, "gen_ai.operation.name"), "chat");
    EXPECT_EQ(attribute(point, "gen_ai.provider.name"), "bitrouter");
    const auto& bounds = point["explicitBounds"];
    ASSERT_EQ(bounds.Size(), 14u);
    EXPECT_EQ(bounds[0].GetDouble(), 1);
    EXPECT_EQ(bounds[13].GetDouble(), 67108864);
    EXPECT_EQ(point["bucketCounts"].Size(), 15u);
    EXPECT_STREQ(point["count"].GetString(), "1");
    sums[*attribute(point, "gen_ai.request.model") + "/" + *type] =
        std::to_string(static_cast<int>(point["sum"].GetDouble()));
  }
  EXPECT_EQ(sums["gpt-4o-mini/input"], "12");
  EXPECT_EQ(sums["gpt-4o-mini/output"], "7");
  EXPECT_EQ(sums["gpt-4o/input"], "30");
  // 12 tokens fall in (4, 16]: bucket 2.
  for (const auto& point : tokenPoints.GetArray()) {
    if (attribute(point, "gen_ai.request.model") == "gpt-4o-mini" &&
        attribute(point, "gen_ai.token.type") == "input") {
      EXPECT_STREQ(point["bucketCounts"][2].GetString(), "1");
    }
  }
  const auto& durationPoints = (*duration)["histogram"]["dataPoints"];
  ASSERT_EQ(durationPoints.Size(), 3u);  // two models, and the failure (its own error.type)
  bool sawFailure = false;
  for (const auto& point : durationPoints.GetArray()) {
    EXPECT_EQ(point["explicitBounds"].Size(), 14u);
    EXPECT_DOUBLE_EQ(point["explicitBounds"][0].GetDouble(), 0.01);
    EXPECT_DOUBLE_EQ(point["explicitBounds"][13].GetDouble(), 81.92);
    if (attribute(point, "error.type") == "rate_limited") {
      sawFailure = true;
      EXPECT_DOUBLE_EQ(point["sum"].GetDouble(), 0.04);
    }
  }
  EXPECT_TRUE(sawFailure);
  EXPECT_TRUE(plugin.warnings().empty());
}

TEST(OtelExport, ContentCaptureSendsThePromptOnlyWhenSwitchedOn) {
  OtlpReceiver receiver;
  LoadedOtel plugin({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.baseUrl() + "/custom/traces"},
                     {"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true"},
                     {"OTEL_BSP_SCHEDULE_DELAY", "20"}});
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  ModelUsedEvent event = sampleModelUsed(traceContext(3, 1, 0));
  event.prompt = std::string(200, 'p');
  plugin.observer()->onModelUsed(event);
  ASSERT_TRUE(receiver.waitFor("/custom/traces", 1, 5s));
  plugin.unload();
  // Only the traces endpoint was given: nothing goes to a metrics path.
  EXPECT_TRUE(receiver.requestsTo("/v1/metrics").empty());
  const auto decoded = checkWithProtobuf("traces", receiver.requestsTo("/custom/traces")[0].body);
  ASSERT_FALSE(decoded.IsNull());
  const auto spans = spansOf(decoded);
  ASSERT_EQ(spans.size(), 1u);
  const auto messages = attribute(*spans[0], "gen_ai.input.messages");
  ASSERT_TRUE(messages.has_value());
  EXPECT_EQ(*messages, R"([{"role":"user","parts":[{"type":"text","content":")" +
                           std::string(200, 'p') + R"("}]}])");
  EXPECT_FALSE(spans[0]->HasMember("parentSpanId") &&
               std::string((*spans[0])["parentSpanId"].GetString()) != "");
}

TEST(OtelExport, AnUntracedCallGetsARootSpanOfItsOwn) {
  OtlpReceiver receiver;
  LoadedOtel plugin(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.baseUrl()}, {"OTEL_BSP_SCHEDULE_DELAY", "20"}});
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  plugin.observer()->onModelUsed(sampleModelUsed(TraceContext{}));
  plugin.observer()->onModelUsed(sampleModelUsed(TraceContext{}));
  plugin.unload();
  std::vector<std::string> traceIds;
  for (const auto& request : receiver.requestsTo("/v1/traces")) {
    const auto decoded = checkWithProtobuf("traces", request.body);  // ids valid, non-zero
    ASSERT_FALSE(decoded.IsNull());
    for (const auto* span : spansOf(decoded))
      traceIds.push_back((*span)["traceId"].GetString());
  }
  ASSERT_EQ(traceIds.size(), 2u);
  EXPECT_NE(traceIds[0], traceIds[1]);
}

TEST(OtelExport, AnUnsampledCallIsCountedButNotTraced) {
  OtlpReceiver receiver;
  LoadedOtel plugin(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.baseUrl()}, {"OTEL_BSP_SCHEDULE_DELAY", "20"}});
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  TraceContext unsampled = traceContext(4, 1, 0);
  unsampled.sampled = false;
  plugin.observer()->onModelUsed(sampleModelUsed(unsampled));
  plugin.unload();
  EXPECT_TRUE(receiver.requestsTo("/v1/traces").empty());
  EXPECT_EQ(receiver.requestsTo("/v1/metrics").size(), 1u);  // the final export
}

TEST(OtelExport, SdkDisabledExportsNothing) {
  OtlpReceiver receiver;
  LoadedOtel plugin(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.baseUrl()}, {"OTEL_SDK_DISABLED", "true"}});
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  plugin.observer()->onModelUsed(sampleModelUsed(traceContext(5, 1, 0)));
  plugin.unload();
  EXPECT_TRUE(receiver.requests().empty());
}

}  // namespace
}  // namespace agent::otel::test
