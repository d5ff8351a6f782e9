#include "agent/support/Utf8.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(text::isValidUtf8(""));
  EXPECT_TRUE(text::isValidUtf8("plain ascii that is longer than eight bytes"));
  EXPECT_TRUE(text::isValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
  EXPECT_TRUE(text::isValidUtf8("\xED\x9F\xBF"));  // U+D7FF, just below the surrogates
}

TEST(Utf8, RejectsMalformedText) {
  for (const char* bad :
       {"\x80", "\xC3", "\xC3\x28", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80", "\xFF", "ok so far...\xE2\x82", "12345678\xC3"}) {
    EXPECT_FALSE(text::isValidUtf8(bad)) << bad;
  }
}

}  // namespace
}  // namespace agent::bitrouter
