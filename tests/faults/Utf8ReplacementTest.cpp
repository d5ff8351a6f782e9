// text::toValidUtf8, which keeps the CLI's JSON output valid whatever bytes a model or a file name
// holds: well-formed text passes unchanged, each maximal ill-formed subpart becomes one U+FFFD.
#include <gtest/gtest.h>

#include <string>

#include "agent/support/Utf8.hpp"

namespace agent::faults {
namespace {

using agent::text::toValidUtf8;

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8ReplacementTest, WellFormedTextIsUnchanged) {
  for (const std::string& text : std::initializer_list<std::string>{
           "", "plain ascii", "caf\xC3\xA9", "\xE2\x82\xAC 20", "\xF0\x9F\x98\x80 emoji",
           "\xF4\x8F\xBF\xBF max", std::string("nul\0inside", 10)}) {
    EXPECT_EQ(toValidUtf8(text), text);
  }
}

TEST(Utf8ReplacementTest, IllFormedSequencesBecomeReplacementCharacters) {
  EXPECT_EQ(toValidUtf8("a\xFF"
                        "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(toValidUtf8("\xC3("), kFffd + "(");                   // lead without continuation
  EXPECT_EQ(toValidUtf8("\xC0\xAF"), kFffd + kFffd);              // overlong lead
  EXPECT_EQ(toValidUtf8("\xE0\x80\x80"), kFffd + kFffd + kFffd);  // overlong three-byte form
  EXPECT_EQ(toValidUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // a surrogate
  EXPECT_EQ(toValidUtf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
  EXPECT_EQ(toValidUtf8("\xE2\x82"), kFffd);  // cut short: one subpart
  EXPECT_EQ(toValidUtf8("\xF0\x9F\x98"), kFffd);
  EXPECT_EQ(toValidUtf8("\xE2\x82x"), kFffd + "x");
  EXPECT_EQ(toValidUtf8("\x80\xBF"), kFffd + kFffd);  // stray continuations
}

TEST(Utf8ReplacementTest, EveryByteStringBecomesValidUtf8) {
  // A crude validity oracle: the output never holds a byte that can start no sequence, and
  // re-cleaning it changes nothing.
  std::string all;
  for (int b = 0; b < 256; ++b) {
    all.push_back(static_cast<char>(b));
    all.push_back(static_cast<char>(255 - b));
  }
  const std::string once = toValidUtf8(all);
  EXPECT_EQ(toValidUtf8(once), once);
  for (const char c : once) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte != 0xC0 && byte != 0xC1 && byte < 0xF5) << int(byte);
  }
}

}  // namespace
}  // namespace agent::faults
