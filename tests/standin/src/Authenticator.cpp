#include "Authenticator.hpp"

#include <string_view>

namespace agent::standin {
namespace {

std::string_view trim(std::string_view text) {
  auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && isSpace(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back()))
    text.remove_suffix(1);
  return text;
}

}  // namespace

Authenticator::Authenticator(const StandinOptions& options)
    : skip_(options.skipAuth),
      valid_(options.validKeys.begin(), options.validKeys.end()),
      revoked_(options.revokedKeys.begin(), options.revokedKeys.end()),
      expired_(options.expiredKeys.begin(), options.expiredKeys.end()) {}

std::optional<std::string> Authenticator::check(const HttpRequest& request) const {
  if (skip_) return std::nullopt;  // skip_auth: every caller is the anonymous local caller

  std::string_view credential = request.header("authorization");
  if (credential.rfind("Bearer ", 0) == 0) credential.remove_prefix(7);
  credential = trim(credential);
  if (credential.empty()) credential = trim(request.header("x-api-key"));

  if (credential.empty()) return std::string("missing API key");
  if (credential.rfind("brvk_", 0) != 0 || credential.size() == 5) {
    return std::string("credential is not a brvk_ virtual key");
  }
  if (revoked_.count(credential)) return std::string("API key is inactive");
  if (expired_.count(credential)) return std::string("API key has expired");
  if (!valid_.count(credential)) return std::string("unknown API key");
  return std::nullopt;
}

}  // namespace agent::standin
