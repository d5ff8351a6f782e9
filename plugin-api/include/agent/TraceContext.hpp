// TraceContext: where an operation sits in a distributed trace (W3C Trace Context).
//
// The host gives every model call and every tool run a span of its own: one trace for a tool
// loop, the loop's model calls and tool runs as its children. A provider forwards it where its
// protocol can carry it (an HTTP `traceparent` header, MCP's `params._meta.traceparent`); an
// observer (agent/EventObserver.hpp) finds it in every event, so a tracing plugin can build the
// spans without the host knowing any tracing library.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace agent {

struct TraceContext {
  std::array<std::uint8_t, 16> traceId{};      // all zero: not traced
  std::array<std::uint8_t, 8> spanId{};        // this operation's span
  std::array<std::uint8_t, 8> parentSpanId{};  // all zero: the span is a trace's root
  bool sampled = true;

  bool valid() const noexcept {
    for (const std::uint8_t byte : traceId) {
      if (byte != 0) return true;
    }
    return false;
  }

  bool hasParent() const noexcept {
    for (const std::uint8_t byte : parentSpanId) {
      if (byte != 0) return true;
    }
    return false;
  }

  /// The W3C `traceparent` value of this span ("00-<trace id>-<span id>-<flags>"), or "" when the
  /// context is not valid.
  std::string traceparent() const {
    if (!valid()) return {};
    std::string text = "00-";
    appendHex(text, traceId.data(), traceId.size());
    text += '-';
    appendHex(text, spanId.data(), spanId.size());
    text += sampled ? "-01" : "-00";
    return text;
  }

  static void appendHex(std::string& out, const std::uint8_t* bytes, std::size_t size) {
    constexpr char kDigits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < size; ++i) {
      out += kDigits[bytes[i] >> 4];
      out += kDigits[bytes[i] & 0x0f];
    }
  }
};

}  // namespace agent
