#include "schema/PointerFragment.hpp"

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

void appendFragmentToken(std::string& fragment, std::string_view token) {
  fragment += '/';
  for (const char c : token) {
    if (c == '~') {
      fragment += "~0";
    } else if (c == '/') {
      fragment += "~1";
    } else {
      appendEncoded(fragment, static_cast<unsigned char>(c));
    }
  }
}

std::string pointerFragment(const rapidjson::Pointer& pointer) {
  std::string fragment = "#";
  const rapidjson::Pointer::Token* tokens = pointer.GetTokens();
  for (std::size_t i = 0; i < pointer.GetTokenCount(); ++i) {
    appendFragmentToken(fragment, std::string_view(tokens[i].name, tokens[i].length));
  }
  return fragment;
}

}  // namespace agent::bitrouter
