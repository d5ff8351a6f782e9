// Utf8: checking and repairing UTF-8, shared by the host and every plugin.
//
// JSON on the wire and on stdout must be UTF-8, and neither a user's prompt nor a model's reply is
// guaranteed to be. Both functions follow Unicode's definition of well-formed UTF-8 (no overlongs,
// no surrogates, nothing above U+10FFFF).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace agent::text {

namespace detail {

/// How many bytes of the sequence at `i` are well-formed: its full length when it is complete,
/// else the maximal subpart (0 for a byte that can never start a sequence).
inline std::size_t wellFormedPrefix(std::string_view text, std::size_t i,
                                    std::size_t& length) noexcept {
  const auto lead = static_cast<unsigned char>(text[i]);
  length = 0;
  unsigned char low = 0x80;  // the range allowed for the first continuation byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  std::size_t good = 1;
  while (good < length && i + good < text.size()) {
    const auto next = static_cast<unsigned char>(text[i + good]);
    const bool first = good == 1;
    if (first ? (next < low || next > high) : (next & 0xC0) != 0x80) break;
    ++good;
  }
  return good;
}

}  // namespace detail

/// True when `text` is well-formed UTF-8. Prompts are mostly ASCII, so eight bytes are tested at a
/// time: several times faster than RapidJSON's per-character validation.
inline bool isValidUtf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    if (i + 8 <= text.size()) {
      std::uint64_t block = 0;
      std::memcpy(&block, text.data() + i, 8);
      if ((block & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    if (detail::wellFormedPrefix(text, i, length) != length || length == 0) return false;
    i += length;
  }
  return true;
}

/// `text` with every ill-formed sequence replaced by U+FFFD, one per maximal subpart, as Unicode
/// recommends.
inline std::string toValidUtf8(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    std::size_t length = 0;
    const std::size_t good = detail::wellFormedPrefix(text, i, length);
    if (length != 0 && good == length) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out.append(kReplacement);
      i += good == 0 ? 1 : good;
    }
  }
  return out;
}

}  // namespace agent::text
