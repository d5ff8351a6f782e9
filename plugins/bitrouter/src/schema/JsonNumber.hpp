// JsonNumber: JSON number text turned into the value RapidJSON's reader would report, exactly.
//
// RapidJSON 1.1.0 has no number parser that is both safe and exact: kParseFullPrecisionFlag reads
// a zero mantissa with a large exponent as a huge value (0e93 becomes about 6e290; UBSan reports
// clz(0)), and the default path can be an ULP off. Parsing with kParseNumbersAsStringsFlag and
// converting here (std::from_chars, correctly rounded) avoids both, and lets a writer copy the
// number's text unchanged. ExactNumberHandler wraps any SAX handler to do that conversion.
#pragma once

#include <cstdint>
#include <string_view>

#include <rapidjson/rapidjson.h>

namespace agent::bitrouter {

/// One JSON number, classified as RapidJSON's reader classifies it: integers that fit 32 bits,
/// then 64 bits, else (or with a fraction or an exponent) a double.
struct JsonNumber {
  enum class Kind { Int, Uint, Int64, Uint64, Double, TooBig };

  Kind kind = Kind::TooBig;
  std::int64_t signedValue = 0;
  std::uint64_t unsignedValue = 0;
  double doubleValue = 0.0;

  /// `text` is a number as the reader accepted it. TooBig: beyond a double's range, which the
  /// reader lets through just past the largest double (a tiny value underflows to zero instead,
  /// as in RapidJSON).
  static JsonNumber parse(std::string_view text) noexcept;
};

/// Sends `number` to a SAX handler; false when the handler stops or the number is TooBig.
template <class Handler>
bool sendJsonNumber(Handler& handler, const JsonNumber& number) {
  switch (number.kind) {
    case JsonNumber::Kind::Int:
      return handler.Int(static_cast<int>(number.signedValue));
    case JsonNumber::Kind::Uint:
      return handler.Uint(static_cast<unsigned>(number.unsignedValue));
    case JsonNumber::Kind::Int64:
      return handler.Int64(number.signedValue);
    case JsonNumber::Kind::Uint64:
      return handler.Uint64(number.unsignedValue);
    case JsonNumber::Kind::Double:
      return handler.Double(number.doubleValue);
    case JsonNumber::Kind::TooBig:
      return false;
  }
  return false;
}

/// Forwards every SAX event to `inner`, turning the RawNumber events of a
/// kParseNumbersAsStringsFlag parse back into exact numbers. `numberTooBig` tells a stop caused
/// by a number out of range from a stop by `inner`.
template <class Inner>
struct ExactNumberHandler {
  using Ch = char;
  using SizeType = rapidjson::SizeType;

  Inner& inner;
  bool numberTooBig = false;

  bool Null() { return inner.Null(); }
  bool Bool(bool b) { return inner.Bool(b); }
  bool Int(int i) { return inner.Int(i); }
  bool Uint(unsigned u) { return inner.Uint(u); }
  bool Int64(std::int64_t i) { return inner.Int64(i); }
  bool Uint64(std::uint64_t u) { return inner.Uint64(u); }
  bool Double(double d) { return inner.Double(d); }
  bool RawNumber(const Ch* text, SizeType length, bool) {
    const JsonNumber number = JsonNumber::parse(std::string_view(text, length));
    numberTooBig = number.kind == JsonNumber::Kind::TooBig;
    return sendJsonNumber(inner, number);
  }
  bool String(const Ch* s, SizeType n, bool copy) { return inner.String(s, n, copy); }
  bool StartObject() { return inner.StartObject(); }
  bool Key(const Ch* s, SizeType n, bool copy) { return inner.Key(s, n, copy); }
  bool EndObject(SizeType n) { return inner.EndObject(n); }
  bool StartArray() { return inner.StartArray(); }
  bool EndArray(SizeType n) { return inner.EndArray(n); }
};

}  // namespace agent::bitrouter
