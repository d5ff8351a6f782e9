#include "exporter/OtlpJson.hpp"

#include <cmath>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "agent/TraceContext.hpp"
#include "trace/GenAiConventions.hpp"

namespace agent::otel {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void string(Writer& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void key(Writer& w, std::string_view name) {
  w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
}

// proto3's JSON mapping writes 64-bit integers as strings.
void int64(Writer& w, std::int64_t value) {
  string(w, std::to_string(value));
}

void uint64(Writer& w, std::uint64_t value) {
  string(w, std::to_string(value));
}

template <std::size_t N>
void hexId(Writer& w, const std::array<std::uint8_t, N>& bytes) {
  std::string text;
  text.reserve(2 * N);
  TraceContext::appendHex(text, bytes.data(), N);
  string(w, text);
}

template <std::size_t N>
bool allZero(const std::array<std::uint8_t, N>& bytes) {
  for (std::uint8_t byte : bytes) {
    if (byte != 0) return false;
  }
  return true;
}

bool writable(const AttributeValue& value) {
  const auto* number = std::get_if<double>(&value);
  return number == nullptr || std::isfinite(*number);  // JSON has no NaN or infinity
}

void anyValue(Writer& w, const AttributeValue& value) {
  w.StartObject();
  if (const auto* text = std::get_if<std::string>(&value)) {
    key(w, "stringValue");
    string(w, *text);
  } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    key(w, "intValue");
    int64(w, *integer);
  } else if (const auto* number = std::get_if<double>(&value)) {
    key(w, "doubleValue");
    w.Double(*number);
  } else if (const auto* flag = std::get_if<bool>(&value)) {
    key(w, "boolValue");
    w.Bool(*flag);
  } else if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
    key(w, "arrayValue");
    w.StartObject();
    key(w, "values");
    w.StartArray();
    for (const std::string& item : *list) {
      w.StartObject();
      key(w, "stringValue");
      string(w, item);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
}

void attributes(Writer& w, const Attributes& list) {
  key(w, "attributes");
  w.StartArray();
  for (const Attribute& attribute : list) {
    if (!writable(attribute.value)) continue;
    w.StartObject();
    key(w, "key");
    string(w, attribute.key);
    key(w, "value");
    anyValue(w, attribute.value);
    w.EndObject();
  }
  w.EndArray();
}

void resource(Writer& w, const ExportOrigin& origin) {
  key(w, "resource");
  w.StartObject();
  Attributes list;
  for (const auto& [name, value] : origin.resource)
    list.push_back({name, value});
  list.push_back({"telemetry.sdk.name", std::string("agent-host-otel")});
  list.push_back({"telemetry.sdk.language", std::string("cpp")});
  list.push_back({"telemetry.sdk.version", origin.scopeVersion});
  attributes(w, list);
  w.EndObject();
}

void scope(Writer& w, const ExportOrigin& origin) {
  key(w, "scope");
  w.StartObject();
  key(w, "name");
  string(w, origin.scopeName);
  key(w, "version");
  string(w, origin.scopeVersion);
  w.EndObject();
  key(w, "schemaUrl");
  string(w, conv::kSchemaUrl);
}

void span(Writer& w, const SpanData& data) {
  w.StartObject();
  key(w, "traceId");
  hexId(w, data.traceId);
  key(w, "spanId");
  hexId(w, data.spanId);
  if (!allZero(data.parentSpanId)) {
    key(w, "parentSpanId");
    hexId(w, data.parentSpanId);
  }
  key(w, "name");
  string(w, data.name);
  key(w, "kind");
  w.Int(static_cast<int>(data.kind));
  key(w, "startTimeUnixNano");
  uint64(w, data.startUnixNano);
  key(w, "endTimeUnixNano");
  uint64(w, data.endUnixNano);
  attributes(w, data.attributes);
  if (!data.events.empty()) {
    key(w, "events");
    w.StartArray();
    for (const SpanEventData& event : data.events) {
      w.StartObject();
      key(w, "timeUnixNano");
      uint64(w, event.timeUnixNano);
      key(w, "name");
      string(w, event.name);
      attributes(w, event.attributes);
      w.EndObject();
    }
    w.EndArray();
  }
  if (data.failed) {
    key(w, "status");
    w.StartObject();
    if (!data.statusMessage.empty()) {
      key(w, "message");
      string(w, data.statusMessage);
    }
    key(w, "code");
    w.Int(2);  // STATUS_CODE_ERROR
    w.EndObject();
  }
  w.EndObject();
}

void histogram(Writer& w, const HistogramSnapshot& data, const MetricsSnapshot& metrics) {
  w.StartObject();
  key(w, "name");
  string(w, data.name);
  key(w, "description");
  string(w, data.description);
  key(w, "unit");
  string(w, data.unit);
  key(w, "histogram");
  w.StartObject();
  key(w, "dataPoints");
  w.StartArray();
  for (const HistogramPoint& point : data.points) {
    w.StartObject();
    attributes(w, point.attributes);
    key(w, "startTimeUnixNano");
    uint64(w, metrics.startUnixNano);
    key(w, "timeUnixNano");
    uint64(w, metrics.timeUnixNano);
    key(w, "count");
    uint64(w, point.count);
    key(w, "sum");
    w.Double(std::isfinite(point.sum) ? point.sum : 0.0);
    key(w, "bucketCounts");
    w.StartArray();
    for (std::uint64_t count : point.bucketCounts)
      uint64(w, count);
    w.EndArray();
    key(w, "explicitBounds");
    w.StartArray();
    for (double bound : data.bounds)
      w.Double(bound);
    w.EndArray();
    if (std::isfinite(point.min) && std::isfinite(point.max)) {
      key(w, "min");
      w.Double(point.min);
      key(w, "max");
      w.Double(point.max);
    }
    w.EndObject();
  }
  w.EndArray();
  key(w, "aggregationTemporality");
  w.Int(2);  // AGGREGATION_TEMPORALITY_CUMULATIVE
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string encodeTraces(const ExportOrigin& origin, const std::vector<SpanData>& spans) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  key(w, "resourceSpans");
  w.StartArray();
  w.StartObject();
  resource(w, origin);
  key(w, "scopeSpans");
  w.StartArray();
  w.StartObject();
  scope(w, origin);
  key(w, "spans");
  w.StartArray();
  for (const SpanData& data : spans)
    span(w, data);
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string encodeMetrics(const ExportOrigin& origin, const MetricsSnapshot& metrics) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  key(w, "resourceMetrics");
  w.StartArray();
  w.StartObject();
  resource(w, origin);
  key(w, "scopeMetrics");
  w.StartArray();
  w.StartObject();
  scope(w, origin);
  key(w, "metrics");
  w.StartArray();
  for (const HistogramSnapshot& data : metrics.histograms) {
    if (!data.points.empty()) histogram(w, data, metrics);
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace agent::otel
