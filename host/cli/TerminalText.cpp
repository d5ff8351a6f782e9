#include "TerminalText.hpp"

#include "agent/support/Text.hpp"

namespace agent::host::cli {
namespace {

constexpr unsigned char kC1Lead = 0xC2;  // U+0080-U+009F are 0xC2 0x80-0x9F in UTF-8

void appendCaret(std::string& out, unsigned char c) {
  out += '^';
  out += c == 0x7F ? '?' : static_cast<char>(c + 0x40);
}

}  // namespace

std::string VisibleControls::feed(std::string_view piece) {
  std::string text = held_;
  held_.clear();
  text.append(piece);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool last = i + 1 == text.size();
    if (c == '\n' || c == '\t') {
      out += static_cast<char>(c);
    } else if (c == '\r') {
      if (last) {
        held_ = "\r";
      } else if (text[i + 1] == '\n') {
        out += '\r';
      } else {
        appendCaret(out, c);
      }
    } else if (c < 0x20 || c == 0x7F) {
      appendCaret(out, c);
    } else if (c == kC1Lead) {
      if (last) {
        held_ = text.substr(i);
        continue;
      }
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[next >> 4];
        out += kHex[next & 0x0F];
        ++i;
      } else {
        out += static_cast<char>(c);
      }
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string VisibleControls::finish() {
  // A lone 0xC2 is invalid UTF-8, not a control: it goes out as it came.
  std::string out = held_ == "\r" ? std::string("^M") : held_;
  held_.clear();
  return out;
}

std::string visibleControls(std::string_view text) {
  VisibleControls controls;
  std::string out = controls.feed(text);
  out += controls.finish();
  return out;
}

std::string shortened(std::string_view text, std::size_t maxBytes) {
  std::string line = text::oneLine(text);
  if (line.size() <= maxBytes) return line;
  std::size_t cut = maxBytes;
  // Back up to the start of a character: continuation bytes are 10xxxxxx.
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
    --cut;
  const std::size_t left = line.size() - cut;
  line.resize(cut);
  line += "... (" + std::to_string(left) + " more bytes)";
  return line;
}

}  // namespace agent::host::cli
