// SpanData: one finished span, as the exporter needs it: ids, name, kind, times, attributes.
//
// Plain data, built on the caller's thread from an event and encoded later on the exporter's.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace agent::otel {

/// An attribute value of the kinds the GenAI conventions use.
using AttributeValue =
    std::variant<std::string, std::int64_t, double, bool, std::vector<std::string>>;

struct Attribute {
  std::string key;
  AttributeValue value;
};

using Attributes = std::vector<Attribute>;

/// OTLP's Span.SpanKind numbers.
enum class SpanKind : int { Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5 };

struct SpanEventData {
  std::string name;
  std::uint64_t timeUnixNano = 0;
  Attributes attributes;
};

struct SpanData {
  std::array<std::uint8_t, 16> traceId{};
  std::array<std::uint8_t, 8> spanId{};
  std::array<std::uint8_t, 8> parentSpanId{};  // all zero: a root span
  std::string name;
  SpanKind kind = SpanKind::Internal;
  std::uint64_t startUnixNano = 0;
  std::uint64_t endUnixNano = 0;
  Attributes attributes;
  std::vector<SpanEventData> events;
  bool failed = false;        // status ERROR
  std::string statusMessage;  // with failed
};

}  // namespace agent::otel
