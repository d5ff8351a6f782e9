// Text: the small string and setting-value helpers shared by the host and every plugin.
//
// ASCII only and locale-free, so a setting parses the same way in every process. Parsing is strict
// on purpose: "5x" for a number or "enabled" for a switch is a mistake the user should hear about,
// not something to round, truncate or read as false.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace agent::text {

constexpr bool isAsciiSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr char toLowerAscii(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr char toUpperAscii(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

constexpr std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && isAsciiSpace(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && isAsciiSpace(text.back()))
    text.remove_suffix(1);
  return text;
}

constexpr bool isBlank(std::string_view text) noexcept {
  return trim(text).empty();
}

constexpr bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (toLowerAscii(a[i]) != toLowerAscii(b[i])) return false;
  }
  return true;
}

inline std::string toLower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = toLowerAscii(c);
  return out;
}

inline std::string toUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = toUpperAscii(c);
  return out;
}

/// The text on one line: CR and LF become spaces, so log and error lines stay single lines.
inline std::string oneLine(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

/// A whole decimal integer (surrounding whitespace and a leading '+' allowed), or nullopt.
inline std::optional<std::int64_t> parseInt64(std::string_view text) noexcept {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// A finite decimal number (surrounding whitespace and a leading '+' allowed), or nullopt.
inline std::optional<double> parseNumber(std::string_view text) noexcept {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

/// The words every on/off setting accepts (any case, trimmed).
inline constexpr std::string_view kSwitchWords = "true/false, 1/0, yes/no, on/off";

/// An on/off setting: true, 1, yes, on or false, 0, no, off (any case, trimmed); nullopt for
/// anything else, which the caller reports as an error naming the setting and kSwitchWords.
constexpr std::optional<bool> parseSwitch(std::string_view text) noexcept {
  text = trim(text);
  for (std::string_view word : {"true", "1", "yes", "on"}) {
    if (equalsIgnoreCase(text, word)) return true;
  }
  for (std::string_view word : {"false", "0", "no", "off"}) {
    if (equalsIgnoreCase(text, word)) return false;
  }
  return std::nullopt;
}

}  // namespace agent::text
