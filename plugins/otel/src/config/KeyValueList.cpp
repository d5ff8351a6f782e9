#include "config/KeyValueList.hpp"

#include "agent/support/Text.hpp"

namespace agent::otel {
namespace {

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hexDigit(text[i + 1]);
      const int low = hexDigit(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

KeyValues parseKeyValueList(std::string_view text) {
  KeyValues pairs;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view member = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const std::size_t equals = member.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = agent::text::trim(member.substr(0, equals));
    // Baggage allows ";properties" after a value; they carry nothing an exporter uses.
    std::string_view value = member.substr(equals + 1);
    value = agent::text::trim(value.substr(0, value.find(';')));
    if (key.empty()) continue;
    pairs.emplace_back(percentDecode(key), percentDecode(value));
  }
  return pairs;
}

}  // namespace agent::otel
