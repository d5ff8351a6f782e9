#include "schema/JsonNumber.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

using Kind = JsonNumber::Kind;

TEST(JsonNumber, IntegersAreClassifiedLikeRapidJsonsReader) {
  EXPECT_EQ(JsonNumber::parse("0").kind, Kind::Uint);
  EXPECT_EQ(JsonNumber::parse("4294967295").kind, Kind::Uint);
  EXPECT_EQ(JsonNumber::parse("4294967296").kind, Kind::Uint64);
  EXPECT_EQ(JsonNumber::parse("18446744073709551615").unsignedValue,
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(JsonNumber::parse("-0").kind, Kind::Int);
  EXPECT_EQ(JsonNumber::parse("-2147483648").kind, Kind::Int);
  EXPECT_EQ(JsonNumber::parse("-2147483649").kind, Kind::Int64);
  EXPECT_EQ(JsonNumber::parse("-9223372036854775808").signedValue,
            std::numeric_limits<std::int64_t>::min());
}

TEST(JsonNumber, IntegersBeyond64BitsBecomeDoubles) {
  const JsonNumber big = JsonNumber::parse("18446744073709551616");
  EXPECT_EQ(big.kind, Kind::Double);
  EXPECT_EQ(big.doubleValue, 18446744073709551616.0);
  EXPECT_EQ(JsonNumber::parse("-9223372036854775809").kind, Kind::Double);
}

// RapidJSON 1.1.0's full-precision path read 0e93 as about 6.2e290.
TEST(JsonNumber, ZeroWithAHugeExponentIsZero) {
  for (const char* text : {"0e93", "0E+300", "0.0e-999", "-0.000e400", "0e0"}) {
    const JsonNumber zero = JsonNumber::parse(text);
    EXPECT_EQ(zero.kind, Kind::Uint) << text;  // a zero fraction: an integer (drafts 6+)
    EXPECT_EQ(zero.unsignedValue, 0u) << text;
    EXPECT_EQ(zero.doubleValue, 0.0) << text;
  }
}

TEST(JsonNumber, ZeroFractionsAreIntegersWhenTheyFit) {
  EXPECT_EQ(JsonNumber::parse("1.0").kind, Kind::Uint);
  EXPECT_EQ(JsonNumber::parse("-2.0e0").signedValue, -2);
  EXPECT_EQ(JsonNumber::parse("-2.0e0").kind, Kind::Int);
  EXPECT_EQ(JsonNumber::parse("1e10").kind, Kind::Uint64);
  EXPECT_EQ(JsonNumber::parse("1e20").kind, Kind::Double);  // past 64 bits
  EXPECT_EQ(JsonNumber::parse("1.5").kind, Kind::Double);
}

TEST(JsonNumber, DoublesAreCorrectlyRounded) {
  EXPECT_EQ(JsonNumber::parse("0.1").doubleValue, 0.1);
  EXPECT_EQ(JsonNumber::parse("1.7976931348623157e308").doubleValue,
            std::numeric_limits<double>::max());
  EXPECT_EQ(JsonNumber::parse("4.9406564584124654e-324").doubleValue,
            std::numeric_limits<double>::denorm_min());
  // Halfway between two doubles, decided only by the 17th+ digit.
  EXPECT_EQ(JsonNumber::parse("9007199254740993").kind, Kind::Uint64);
  EXPECT_EQ(JsonNumber::parse("9007199254740993.0").doubleValue, 9007199254740992.0);
  EXPECT_EQ(JsonNumber::parse("9007199254740993.00001").doubleValue, 9007199254740994.0);
}

TEST(JsonNumber, TinyValuesUnderflowToZeroAndHugeOnesAreTooBig) {
  const JsonNumber tiny = JsonNumber::parse("1e-400");
  EXPECT_EQ(tiny.kind, Kind::Double);
  EXPECT_EQ(tiny.doubleValue, 0.0);
  EXPECT_EQ(JsonNumber::parse("1e400").kind, Kind::TooBig);
  EXPECT_EQ(JsonNumber::parse("-1e309").kind, Kind::TooBig);
  EXPECT_EQ(JsonNumber::parse("1.7976931348623159e308").kind, Kind::TooBig);
  EXPECT_EQ(JsonNumber::parse("1.7976931348623158e308").doubleValue,
            std::numeric_limits<double>::max());
}

// What a handler receives, and that a TooBig number stops the parse with the flag set.
struct Recorder {
  std::string seen;
  bool Int(int i) { return seen += "Int " + std::to_string(i), true; }
  bool Uint(unsigned u) { return seen += "Uint " + std::to_string(u), true; }
  bool Int64(std::int64_t i) { return seen += "Int64 " + std::to_string(i), true; }
  bool Uint64(std::uint64_t u) { return seen += "Uint64 " + std::to_string(u), true; }
  bool Double(double d) { return seen += "Double " + std::to_string(d), true; }
};

TEST(JsonNumber, ExactNumberHandlerTurnsRawNumbersIntoNumberEvents) {
  Recorder recorder;
  ExactNumberHandler<Recorder> exact{recorder};
  EXPECT_TRUE(exact.RawNumber("-7", 2, true));
  EXPECT_TRUE(exact.RawNumber("0e93", 4, true));
  EXPECT_TRUE(exact.RawNumber("0.5", 3, true));
  EXPECT_EQ(recorder.seen, "Int -7Uint 0Double 0.500000");
  EXPECT_FALSE(exact.numberTooBig);
  EXPECT_FALSE(exact.RawNumber("1e999", 5, true));
  EXPECT_TRUE(exact.numberTooBig);
}

}  // namespace
}  // namespace agent::bitrouter
