// TerminalText: text from a model or a tool, made safe to print on a terminal.
//
// A reply or a tool result is data, yet a terminal obeys the control characters in it: "\x1b[2J"
// clears the screen, "\x1b[A" moves the cursor over what was printed. On a terminal they are
// shown instead (ESC as ^[, other C0 controls as ^X, DEL as ^?, C1 controls as \u0080...);
// newline and tab pass, and so does a carriage return right before a newline. Through a pipe,
// or in JSON, text goes out unchanged: these functions are for terminals only.
#pragma once

#include <string>
#include <string_view>

namespace agent::host::cli {

/// `text` with its control characters made visible.
std::string visibleControls(std::string_view text);

/// visibleControls for text that arrives in pieces (a streamed reply): a piece that ends where
/// the next byte decides (a carriage return, the first byte of a C1 control) keeps that byte
/// back until the next piece, or finish().
class VisibleControls {
 public:
  std::string feed(std::string_view piece);
  std::string finish();

 private:
  std::string held_;
};

/// `text` on one line and at most `maxBytes` long (cut at a character boundary), with a note of
/// how much was left out: what a terminal shows of a long tool result or argument list.
std::string shortened(std::string_view text, std::size_t maxBytes);

}  // namespace agent::host::cli
