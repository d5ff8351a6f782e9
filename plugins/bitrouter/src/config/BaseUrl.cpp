#include "agent/bitrouter/BaseUrl.hpp"

#include <charconv>

#include "agent/bitrouter/ConfigError.hpp"
#include "agent/support/Text.hpp"
#include "config/Redactor.hpp"

namespace agent::bitrouter {
namespace {

constexpr std::string_view kSetting = "BITROUTER_BASE_URL";

[[noreturn]] void fail(std::string_view what) {
  throw ConfigError(std::string(kSetting) + " " + std::string(what));
}

bool isHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

// Echoed values are shortened so a huge value never fills a log line.
constexpr std::size_t kMaxEcho = 80;

}  // namespace

BaseUrl BaseUrl::parse(std::string_view url) {
  return parse(url, Redactor());
}

BaseUrl BaseUrl::parse(std::string_view url, const Redactor& redactor) {
  // Never the key, even when it was pasted here by mistake (see Redactor::quoteSetting).
  const auto quoted = [&redactor](std::string_view value) {
    return redactor.quoteSetting(value, kMaxEcho);
  };
  std::string_view text = text::trim(url);
  if (text.empty()) text = kDefault;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      fail("must not contain spaces or control characters");
    }
  }

  const std::size_t schemeEnd = text.find("://");
  if (schemeEnd == std::string_view::npos) {
    fail("must start with http:// or https:// (got " + quoted(text) + ")");
  }
  BaseUrl result;
  result.scheme = text::toLower(text.substr(0, schemeEnd));
  if (result.scheme != "http" && result.scheme != "https") {
    fail("scheme " + quoted(result.scheme) + " is not supported; use http:// or https://");
  }

  std::string_view rest = text.substr(schemeEnd + 3);
  const std::size_t authorityEnd = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authorityEnd);
  std::string_view path =
      authorityEnd == std::string_view::npos ? std::string_view{} : rest.substr(authorityEnd);
  if (authority.find('@') != std::string_view::npos) {
    // Not echoed: the part before '@' is a password.
    fail("must not contain credentials (user:password@); set BITROUTER_API_KEY instead");
  }
  if (path.find_first_of("?#") != std::string_view::npos) {
    fail("must not contain a query or fragment (got " + quoted(text) + ")");
  }

  std::string_view hostPart = authority;
  std::string_view portPart;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) fail("has an unterminated IPv6 address");
    hostPart = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') fail("has junk after the IPv6 address");
      portPart = after.substr(1);
      if (portPart.empty()) fail("has an empty port");
    }
    for (const char c : hostPart) {
      const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') fail("has an invalid IPv6 address");
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      hostPart = authority.substr(0, colon);
      portPart = authority.substr(colon + 1);
      if (portPart.empty()) fail("has an empty port");
    }
    for (const char c : hostPart) {
      if (!isHostChar(c)) fail("has an invalid host " + quoted(hostPart));
    }
  }
  if (hostPart.empty()) fail("has no host (got " + quoted(text) + ")");

  if (portPart.empty()) {
    result.port = result.https() ? 443 : 80;
  } else {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(portPart.data(), portPart.data() + portPart.size(), value);
    if (ec != std::errc() || end != portPart.data() + portPart.size() || value == 0 ||
        value > 65535) {
      fail("has an invalid port " + quoted(portPart) + " (1-65535)");
    }
    result.port = static_cast<std::uint16_t>(value);
  }

  while (!path.empty() && path.back() == '/')
    path.remove_suffix(1);
  result.host = std::string(hostPart);
  result.pathPrefix = std::string(path);
  result.text = result.scheme + "://" + std::string(authority) + result.pathPrefix;
  return result;
}

std::string BaseUrl::target(std::string_view path) const {
  std::string out;
  out.reserve(pathPrefix.size() + path.size());
  out.append(pathPrefix).append(path);
  return out;
}

}  // namespace agent::bitrouter
