#include "schema/EcmaPattern.hpp"

#include <cstdint>

namespace agent::bitrouter {
namespace {

constexpr std::string_view kDigits = "0-9";
constexpr std::string_view kWordCharacters = "0-9A-Za-z_";
// ECMA-262 WhiteSpace and LineTerminator, as RapidJSON class members (UTF-8 literals).
constexpr std::string_view kSpaces =
    "\\t\\n\\v\\f\\r \xC2\xA0\xE1\x9A\x80\xE2\x80\x80-\xE2\x80\x8A\xE2\x80\xA8\xE2\x80\xA9"
    "\xE2\x80\xAF\xE2\x81\x9F\xE3\x80\x80\xEF\xBB\xBF";
constexpr std::string_view kDot = "[^\\n\\r\xE2\x80\xA8\xE2\x80\xA9]";
// What RapidJSON's engine reads as syntax, so a literal of it must stay escaped.
constexpr std::string_view kSyntax = "^$|()?*+.[]{}\\-";

bool isHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void appendUtf8(std::string& out, std::uint32_t codepoint) {
  if (codepoint < 0x80) {
    out += static_cast<char>(codepoint);
  } else if (codepoint < 0x800) {
    out += static_cast<char>(0xC0 | (codepoint >> 6));
    out += static_cast<char>(0x80 | (codepoint & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (codepoint >> 12));
    out += static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (codepoint & 0x3F));
  }
}

// A literal character, escaped when RapidJSON would read it as syntax.
void appendLiteral(std::string& out, std::uint32_t codepoint, bool inClass) {
  if (codepoint < 0x80 && kSyntax.find(static_cast<char>(codepoint)) != std::string_view::npos) {
    if (codepoint == '-' && !inClass) {
      out += '-';
      return;
    }
    out += '\\';
  }
  appendUtf8(out, codepoint);
}

TranslatedPattern refuse(std::string why) {
  return {{}, std::move(why)};
}

}  // namespace

TranslatedPattern translateEcmaPattern(std::string_view ecma) {
  std::string out;
  bool inClass = false;
  for (std::size_t i = 0; i < ecma.size(); ++i) {
    const char c = ecma[i];
    if (c == '\\') {
      if (++i == ecma.size()) return refuse("ends with a lone backslash");
      const char e = ecma[i];
      switch (e) {
        case 'd':
        case 'w':
        case 's': {
          const std::string_view set = e == 'd' ? kDigits : e == 'w' ? kWordCharacters : kSpaces;
          if (inClass) {
            out += set;
          } else {
            out += '[';
            out += set;
            out += ']';
          }
          continue;
        }
        case 'D':
        case 'W':
        case 'S': {
          if (inClass) return refuse("uses \\D, \\W or \\S inside a character class");
          out += "[^";
          out += e == 'D' ? kDigits : e == 'W' ? kWordCharacters : kSpaces;
          out += ']';
          continue;
        }
        case 'f':
        case 'n':
        case 'r':
        case 't':
        case 'v':
          out += '\\';
          out += e;
          continue;
        case 'u':
        case 'x': {
          const std::size_t digits = e == 'u' ? 4 : 2;
          std::uint32_t codepoint = 0;
          for (std::size_t k = 1; k <= digits; ++k) {
            if (i + k >= ecma.size() || !isHex(ecma[i + k])) {
              return refuse("has a malformed \\" + std::string(1, e) + " escape");
            }
            const char h = ecma[i + k];
            codepoint = codepoint * 16 + static_cast<std::uint32_t>(h <= '9'   ? h - '0'
                                                                    : h <= 'F' ? h - 'A' + 10
                                                                               : h - 'a' + 10);
          }
          if (codepoint == 0 || (codepoint >= 0xD800 && codepoint <= 0xDFFF)) {
            return refuse("escapes a NUL or a UTF-16 surrogate");
          }
          appendLiteral(out, codepoint, inClass);
          i += digits;
          continue;
        }
        default:
          break;
      }
      const auto byte = static_cast<unsigned char>(e);
      if (byte >= 0x80 || (e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') ||
          (e >= 'A' && e <= 'Z')) {
        return refuse("uses \\" + std::string(1, e) +
                      ", which the validator's regex engine does not support");
      }
      appendLiteral(out, byte, inClass);
      continue;
    }
    if (inClass) {
      if (c == ']') inClass = false;
      out += c;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += c;
        if (i + 1 < ecma.size() && ecma[i + 1] == '^') out += ecma[++i];
        if (i + 1 < ecma.size() && ecma[i + 1] == ']') return refuse("has an empty class []");
        break;
      case '.':
        out += kDot;
        break;
      case '^':
        if (i != 0)
          return refuse("uses ^ after the start, which the regex engine does not support");
        out += c;
        break;
      case '$':
        if (i + 1 != ecma.size()) {
          return refuse("uses $ before the end, which the regex engine does not support");
        }
        out += c;
        break;
      case '(':
        if (i + 1 < ecma.size() && ecma[i + 1] == '?') {
          if (i + 2 < ecma.size() && ecma[i + 2] == ':') {
            out += '(';
            i += 2;
            break;
          }
          return refuse(
              "uses a lookaround or named group, which the regex engine does not support");
        }
        out += c;
        break;
      case '*':
      case '+':
      case '?':
      case '}':
        out += c;
        // Lazy and greedy find the same matches; only whether one exists is asked.
        if (i + 1 < ecma.size() && ecma[i + 1] == '?') ++i;
        break;
      default:
        out += c;
        break;
    }
  }
  return {std::move(out), {}};
}

}  // namespace agent::bitrouter
