#include "schema/JsonNumber.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include <rapidjson/document.h>

namespace agent::bitrouter {
namespace {

JsonNumber makeDouble(double value) noexcept {
  JsonNumber number;
  number.kind = JsonNumber::Kind::Double;
  number.doubleValue = value;
  return number;
}

// from_chars reports both overflow and underflow as out of range. RapidJSON's default path tells
// them apart (a tiny value is zero, a huge one an error) and has no bug for these inputs.
JsonNumber outOfRange(std::string_view text) noexcept {
  rapidjson::Document value;
  value.Parse(text.data(), text.size());
  // Past the largest double RapidJSON may still accept the text, as infinity.
  if (value.HasParseError() || !value.IsNumber() || !std::isfinite(value.GetDouble())) return {};
  return makeDouble(value.GetDouble());
}

// Drafts 6+ count a number with a zero fraction (1.0, 1e2) as an integer; RapidJSON's "integer"
// type accepts only its integer kinds, so such a value is reported as one when it fits.
JsonNumber integralAsInteger(JsonNumber number) noexcept {
  const double value = number.doubleValue;
  if (number.kind != JsonNumber::Kind::Double || std::trunc(value) != value) return number;
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (value >= 0 && value < 2 * kTwoTo63) {
    number.unsignedValue = static_cast<std::uint64_t>(value);
    number.kind = number.unsignedValue <= std::numeric_limits<unsigned>::max()
                      ? JsonNumber::Kind::Uint
                      : JsonNumber::Kind::Uint64;
  } else if (value < 0 && value >= -kTwoTo63) {
    number.signedValue = static_cast<std::int64_t>(value);
    number.kind = number.signedValue >= std::numeric_limits<int>::min() ? JsonNumber::Kind::Int
                                                                        : JsonNumber::Kind::Int64;
  }
  return number;
}

}  // namespace

JsonNumber JsonNumber::parse(std::string_view text) noexcept {
  const char* const first = text.data();
  const char* const last = first + text.size();
  const bool isInteger = text.find_first_of(".eE") == std::string_view::npos;
  if (isInteger) {
    JsonNumber number;
    if (!text.empty() && text.front() == '-') {
      std::int64_t value = 0;
      const auto [end, error] = std::from_chars(first, last, value);
      if (error == std::errc() && end == last) {
        number.signedValue = value;
        number.kind = value >= std::numeric_limits<int>::min() ? Kind::Int : Kind::Int64;
        return number;
      }
    } else {
      std::uint64_t value = 0;
      const auto [end, error] = std::from_chars(first, last, value);
      if (error == std::errc() && end == last) {
        number.unsignedValue = value;
        number.kind = value <= std::numeric_limits<unsigned>::max() ? Kind::Uint : Kind::Uint64;
        return number;
      }
    }
    // Beyond 64 bits: a double, as in RapidJSON.
  }
  double value = 0.0;
  const auto [end, error] = std::from_chars(first, last, value);
  if (error == std::errc::result_out_of_range) return outOfRange(text);
  if (error != std::errc() || end != last) return JsonNumber{};
  // An integer's text beyond 64 bits stays a double: rounding it into 64 bits would change it.
  return isInteger ? makeDouble(value) : integralAsInteger(makeDouble(value));
}

}  // namespace agent::bitrouter
