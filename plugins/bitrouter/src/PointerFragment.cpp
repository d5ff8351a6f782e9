#include "agent/bitrouter/PointerFragment.hpp"

#include <string_view>

namespace agent::bitrouter {
namespace {

bool isUnreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void appendEncoded(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (isUnreserved(c)) {
    out += static_cast<char>(c);
    return;
  }
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0x0F];
}

}  // namespace

std::string pointerFragment(const rapidjson::Pointer& pointer) {
  std::string out = "#";
  const rapidjson::Pointer::Token* tokens = pointer.GetTokens();
  for (std::size_t i = 0; i < pointer.GetTokenCount(); ++i) {
    out += '/';
    const std::string_view name(tokens[i].name, tokens[i].length);
    for (const char c : name) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        appendEncoded(out, static_cast<unsigned char>(c));
      }
    }
  }
  return out;
}

}  // namespace agent::bitrouter
