// TerminalText: what a terminal is shown of a model's or a tool's text.
#include "TerminalText.hpp"

#include <gtest/gtest.h>

namespace agent::host::cli {
namespace {

TEST(TerminalTextTest, EscapeSequencesAreShownNotObeyed) {
  EXPECT_EQ(visibleControls("\033[2J\033[H\033[31mred"), "^[[2J^[[H^[[31mred");
  EXPECT_EQ(visibleControls("up\x1b[A"), "up^[[A");
  EXPECT_EQ(visibleControls(std::string("bell\a nul\0 del\x7f", 15)), "bell^G nul^@ del^?");
  EXPECT_EQ(visibleControls("a\rb"), "a^Mb");
  EXPECT_EQ(visibleControls("csi \xc2\x9b"
                            "2J"),
            "csi \\u009b2J");  // C1 CSI
}

TEST(TerminalTextTest, NewlinesTabsAndOrdinaryTextPass) {
  EXPECT_EQ(visibleControls("line 1\n\tline 2\r\n"), "line 1\n\tline 2\r\n");
  EXPECT_EQ(visibleControls("caf\xc3\xa9 \xc2\xa9 \xe2\x82\xac"),
            "caf\xc3\xa9 \xc2\xa9 \xe2\x82\xac");
  EXPECT_EQ(visibleControls(""), "");
}

TEST(TerminalTextTest, AStreamSplitInsideASequenceReadsAsTheWholeText) {
  VisibleControls stream;
  std::string out = stream.feed("a\r");
  out += stream.feed("\nb\xc2");
  out += stream.feed(
      "\x9b"
      "c\r");
  out += stream.finish();
  EXPECT_EQ(out, "a\r\nb\\u009bc^M");
}

TEST(TerminalTextTest, ShortenedKeepsOneLineAndSaysWhatWasLeftOut) {
  EXPECT_EQ(shortened("a\nb", 10), "a b");
  EXPECT_EQ(shortened(std::string(100, 'x'), 10), std::string(10, 'x') + "... (90 more bytes)");
  // Never cuts a character in two: "é" is two bytes.
  EXPECT_EQ(shortened("abc\xc3\xa9z", 4), "abc... (3 more bytes)");
}

}  // namespace
}  // namespace agent::host::cli
