#include "transport/HttpDate.hpp"

#include <date/date.h>

#include <cctype>
#include <sstream>
#include <string>

namespace agent::bitrouter {
namespace {

// date::parse reads "6" where "06" is required and a long day name where a short one is: the
// fixed layout of each form is checked first. 'D' is a digit, 'A' a letter, '_' a space or a
// digit (asctime's day), anything else itself.
bool hasShape(std::string_view text, std::string_view shape) {
  if (text.size() != shape.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    switch (shape[i]) {
      case 'D':
        if (std::isdigit(c) == 0) return false;
        break;
      case 'A':
        if (std::isalpha(c) == 0) return false;
        break;
      case '_':
        if (c != ' ' && std::isdigit(c) == 0) return false;
        break;
      default:
        if (text[i] != shape[i]) return false;
    }
  }
  return true;
}

// The date library rejects dates that do not exist (31 February), fields out of range and a day
// name that does not match the date.
std::optional<std::chrono::system_clock::time_point> parseWith(std::string_view text,
                                                               const char* format) {
  std::istringstream in{std::string(text)};
  date::sys_seconds when;
  in >> date::parse(format, when);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return std::chrono::system_clock::time_point(when);
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parseHttpDate(std::string_view text) {
  if (hasShape(text, "AAA, DD AAA DDDD DD:DD:DD GMT")) {
    return parseWith(text, "%a, %d %b %Y %H:%M:%S GMT");
  }
  if (hasShape(text, "AAA AAA _D DD:DD:DD DDDD")) return parseWith(text, "%a %b %e %H:%M:%S %Y");
  // RFC 850: a full day name ("Sunday"), then a fixed layout.
  const std::size_t comma = text.find(", ");
  if (comma != std::string_view::npos && comma > 3 &&
      hasShape(text.substr(comma), ", DD-AAA-DD DD:DD:DD GMT")) {
    return parseWith(text, "%A, %d-%b-%y %H:%M:%S GMT");
  }
  return std::nullopt;
}

}  // namespace agent::bitrouter
