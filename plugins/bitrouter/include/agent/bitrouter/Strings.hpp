// Strings: the few string helpers the plugin needs (ASCII only, no locale).
#pragma once

#include <string>
#include <string_view>

namespace agent::bitrouter {

constexpr bool isAsciiSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && isAsciiSpace(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && isAsciiSpace(text.back()))
    text.remove_suffix(1);
  return text;
}

inline std::string toLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

constexpr bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace agent::bitrouter
