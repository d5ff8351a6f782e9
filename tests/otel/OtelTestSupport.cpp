#include "OtelTestSupport.hpp"

#include <fstream>
#include <sstream>

#include "agent/test/ProcessRunner.hpp"
#include "agent/test/TempDir.hpp"

namespace agent::otel::test {

LoadedOtel::LoadedOtel(testing::FakeHostServices::SettingMap settings)
    : services_(settings),
      settings_({}, [settings](std::string_view key) -> std::optional<std::string> {
        const auto it = settings.find(key);
        if (it == settings.end()) return std::nullopt;
        return it->second;
      }) {
  loader_ = std::make_unique<host::PluginLoader>(services_, settings_, registry_);
  report_ = loader_->loadFile(OTEL_PLUGIN_FILE);
}

LoadedOtel::~LoadedOtel() {
  unload();
}

EventObserver* LoadedOtel::observer() const {
  if (!loader_) return nullptr;
  for (const auto& named : loader_->contributions().observers) {
    if (named.plugin == "otel") return named.observer.get();
  }
  return nullptr;
}

std::chrono::milliseconds LoadedOtel::unload() {
  const auto started = std::chrono::steady_clock::now();
  loader_.reset();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started);
}

std::vector<std::string> LoadedOtel::warnings() const {
  std::vector<std::string> lines;
  for (const auto& line : services_.logs()) {
    if (line.level >= LogLevel::Warn && line.source == "otel") lines.push_back(line.message);
  }
  return lines;
}

TraceContext traceContext(std::uint8_t trace, std::uint8_t span, std::uint8_t parent) {
  TraceContext context;
  context.traceId[15] = trace;
  context.traceId[0] = 0xab;
  context.spanId[7] = span;
  context.spanId[0] = 0xcd;
  if (parent != 0) {
    context.parentSpanId[7] = parent;
    context.parentSpanId[0] = 0xcd;
  }
  return context;
}

std::string hexTraceId(std::uint8_t trace) {
  std::string text;
  TraceContext::appendHex(text, traceContext(trace, 1, 0).traceId.data(), 16);
  return text;
}

std::string hexSpanId(std::uint8_t span) {
  std::string text;
  TraceContext::appendHex(text, traceContext(1, span, 0).spanId.data(), 8);
  return text;
}

ModelUsedEvent sampleModelUsed(const TraceContext& trace) {
  ModelUsedEvent event;
  event.provider = "bitrouter";
  event.type = ModelType::TextSmall;
  event.model = "gpt-4o-mini";
  event.tokens.promptTokens = 12;
  event.tokens.completionTokens = 7;
  event.tokens.totalTokens = 19;
  event.tokens.cacheReadInputTokens = 4;
  event.tokens.reasoningTokens = 2;
  event.duration = std::chrono::milliseconds(250);
  event.requestId = "req-1";
  event.streamed = true;
  event.prompt = "What is the capital of France?";
  event.responseId = "chatcmpl-42";
  event.responseModel = "gpt-4o-mini-2024-07-18";
  event.finishReason = "stop";
  event.timeToFirstChunk = std::chrono::milliseconds(80);
  event.startTime = std::chrono::system_clock::now() - std::chrono::milliseconds(250);
  event.request.maxTokens = 100;
  event.request.temperature = 0.5;
  event.request.seed = 7;
  event.request.stopSequences = {"END", "STOP"};
  event.trace = trace;
  event.serverAddress = "127.0.0.1";
  event.serverPort = 4356;
  return event;
}

rapidjson::Document checkWithProtobuf(const std::string& kind, const std::string& body) {
  rapidjson::Document decoded;
  const agent::test::TempDir dir;
  const auto file = dir.write("payload.json", body);
  const auto result =
      agent::test::runProcess(NODE_EXECUTABLE, {OTLP_CHECK_SCRIPT, kind, file.string()}, {});
  if (result.exitCode != 0) {
    ADD_FAILURE() << "check-otlp.js refused the " << kind << " payload: " << result.err
                  << "\n(run scripts/bootstrap.sh, or npm ci in tests/otel/proto, if it cannot "
                     "find its modules)\npayload: "
                  << body;
    return decoded;
  }
  decoded.Parse(result.out.c_str());
  if (decoded.HasParseError()) ADD_FAILURE() << "check-otlp.js printed no JSON: " << result.out;
  return decoded;
}

std::vector<const rapidjson::Value*> spansOf(const rapidjson::Value& request) {
  std::vector<const rapidjson::Value*> spans;
  if (!request.IsObject() || !request.HasMember("resourceSpans")) return spans;
  for (const auto& resource : request["resourceSpans"].GetArray()) {
    for (const auto& scope : resource["scopeSpans"].GetArray()) {
      if (!scope.HasMember("spans")) continue;
      for (const auto& span : scope["spans"].GetArray())
        spans.push_back(&span);
    }
  }
  return spans;
}

namespace {

std::string valueText(const rapidjson::Value& value) {
  if (value.HasMember("stringValue")) return value["stringValue"].GetString();
  if (value.HasMember("intValue")) return value["intValue"].GetString();
  if (value.HasMember("boolValue")) return value["boolValue"].GetBool() ? "true" : "false";
  if (value.HasMember("doubleValue")) {
    std::ostringstream out;
    out << value["doubleValue"].GetDouble();
    return out.str();
  }
  if (value.HasMember("arrayValue")) {
    std::string text = "[";
    const auto& values = value["arrayValue"]["values"];
    for (rapidjson::SizeType i = 0; i < values.Size(); ++i) {
      text += (i > 0 ? "," : "") + valueText(values[i]);
    }
    return text + "]";
  }
  return "?";
}

}  // namespace

std::optional<std::string> attribute(const rapidjson::Value& owner, const std::string& key) {
  if (!owner.HasMember("attributes")) return std::nullopt;
  for (const auto& attribute : owner["attributes"].GetArray()) {
    if (key == attribute["key"].GetString()) return valueText(attribute["value"]);
  }
  return std::nullopt;
}

}  // namespace agent::otel::test
