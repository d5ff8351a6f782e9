#include "schema/PointerFragment.hpp"

#include <string>

#include <gtest/gtest.h>

#include <rapidjson/stringbuffer.h>

namespace agent::bitrouter {
namespace {

rapidjson::Pointer pointerTo(std::initializer_list<std::string> tokens) {
  rapidjson::Pointer pointer;
  for (const std::string& token : tokens) {
    pointer = pointer.Append(token.data(), static_cast<rapidjson::SizeType>(token.size()));
  }
  return pointer;
}

TEST(PointerFragment, RootAndPlainTokens) {
  EXPECT_EQ(pointerFragment(rapidjson::Pointer()), "#");
  EXPECT_EQ(pointerFragment(pointerTo({"user", "age"})), "#/user/age");
  EXPECT_EQ(pointerFragment(rapidjson::Pointer("/items/3")), "#/items/3");
}

TEST(PointerFragment, MatchesRapidJsonsUriFormForValidText) {
  for (const char* text : {"/a b/c~1d/e~0f", "/caf\xc3\xa9/\xe2\x82\xac", "/%25/\"q\""}) {
    const rapidjson::Pointer pointer(text);
    ASSERT_TRUE(pointer.IsValid()) << text;
    rapidjson::StringBuffer buffer;
    pointer.StringifyUriFragment(buffer);
    EXPECT_EQ(pointerFragment(pointer), buffer.GetString()) << text;
  }
}

// A key whose last UTF-8 sequence is cut (RapidJSON's own form reads past it) and keys holding
// control characters: encoded byte by byte, one printable line.
TEST(PointerFragment, CutUtf8AndControlCharactersAreEncodedByteByByte) {
  EXPECT_EQ(pointerFragment(pointerTo({"name\xe6"})), "#/name%E6");
  EXPECT_EQ(pointerFragment(pointerTo({"a\nb", std::string("\0x", 2)})), "#/a%0Ab/%00x");
}

}  // namespace
}  // namespace agent::bitrouter
