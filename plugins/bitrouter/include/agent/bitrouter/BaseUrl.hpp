// BaseUrl: BITROUTER_BASE_URL, parsed and normalised.
//
// Only http:// and https:// are accepted; trailing slashes are stripped and a path prefix is
// kept (".../gateway" + "/v1/chat/completions"). Credentials, queries and fragments are refused
// because they would be silently dropped or leaked into logs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agent::bitrouter {

class Redactor;

struct BaseUrl {
  static constexpr std::string_view kDefault = "http://127.0.0.1:4356";

  std::string scheme;      // "http" or "https"
  std::string host;        // a name or address; IPv6 without brackets
  std::uint16_t port = 0;  // explicit, or 80 / 443
  std::string pathPrefix;  // "" or e.g. "/gateway"; never ends with '/'
  std::string text;        // the normalised URL, for messages: "http://127.0.0.1:4356/gateway"

  /// Parses a base URL. Blank means the default. Throws ConfigError naming BITROUTER_BASE_URL;
  /// the message quotes the value only through `redactor` (it may hold the key by mistake).
  static BaseUrl parse(std::string_view url);
  static BaseUrl parse(std::string_view url, const Redactor& redactor);

  bool https() const noexcept { return scheme == "https"; }

  /// The request target for an API path: pathPrefix + path ("/v1/chat/completions").
  std::string target(std::string_view path) const;
};

}  // namespace agent::bitrouter
