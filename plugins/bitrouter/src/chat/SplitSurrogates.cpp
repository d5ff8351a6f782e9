#include "chat/SplitSurrogates.hpp"

#include <cstring>

namespace agent::bitrouter::surrogates {
namespace {

int hexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of a \uXXXX escape at `at` (which holds the backslash), or -1.
long escapeAt(std::string_view text, std::size_t at) noexcept {
  if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u') return -1;
  long unit = 0;
  for (std::size_t i = at + 2; i < at + 6; ++i) {
    const int digit = hexValue(text[i]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

bool isHigh(long unit) noexcept {
  return unit >= 0xD800 && unit <= 0xDBFF;
}
bool isLow(long unit) noexcept {
  return unit >= 0xDC00 && unit <= 0xDFFF;
}

// The surrogate encoded as three bytes at `at` (0xED, then 0xA0-0xBF, then a continuation), or -1.
long threeByteAt(std::string_view text, std::size_t at) noexcept {
  if (at + 3 > text.size()) return -1;
  const auto b0 = static_cast<unsigned char>(text[at]);
  const auto b1 = static_cast<unsigned char>(text[at + 1]);
  const auto b2 = static_cast<unsigned char>(text[at + 2]);
  if (b0 != 0xED || b1 < 0xA0 || b1 > 0xBF || (b2 & 0xC0) != 0x80) return -1;
  return 0xD000 | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
}

}  // namespace

void copyFrame(std::string_view frame, std::string& out) {
  out.clear();
  std::size_t copied = 0;
  std::size_t at = 0;
  // Only escapes matter, and inside JSON text every backslash starts one: step over each whole.
  // A lone backslash at the very end steps past the frame; the loop condition stops there.
  while (at < frame.size()) {
    const void* found = std::memchr(frame.data() + at, '\\', frame.size() - at);
    if (found == nullptr) break;
    at = static_cast<std::size_t>(static_cast<const char*>(found) - frame.data());
    const long unit = escapeAt(frame, at);
    if (!isHigh(unit)) {
      at += unit >= 0 ? 6 : 2;
      continue;
    }
    if (isLow(escapeAt(frame, at + 6))) {
      at += 12;  // a whole pair: RapidJSON decodes it
      continue;
    }
    out.append(frame.data() + copied, at - copied);
    out.push_back(static_cast<char>(0xE0 | (unit >> 12)));
    out.push_back(static_cast<char>(0x80 | ((unit >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
    at += 6;
    copied = at;
  }
  out.append(frame.data() + copied, frame.size() - copied);
}

void joinAt(std::string& text, std::size_t boundary) {
  if (boundary < 3) return;
  const long high = threeByteAt(text, boundary - 3);
  const long low = threeByteAt(text, boundary);
  if (!isHigh(high) || !isLow(low)) return;
  const long code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
  const char joined[4] = {
      static_cast<char>(0xF0 | (code >> 18)), static_cast<char>(0x80 | ((code >> 12) & 0x3F)),
      static_cast<char>(0x80 | ((code >> 6) & 0x3F)), static_cast<char>(0x80 | (code & 0x3F))};
  text.replace(boundary - 3, 6, joined, 4);
}

std::size_t pendingHalf(std::string_view text) noexcept {
  return text.size() >= 3 && isHigh(threeByteAt(text, text.size() - 3)) ? 3 : 0;
}

}  // namespace agent::bitrouter::surrogates
