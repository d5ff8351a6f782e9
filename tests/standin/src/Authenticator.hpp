// Authenticator: BitRouter's virtual-key check when skip_auth is off.
//
// The key comes from `Authorization: Bearer <key>` (the "Bearer " prefix is case-sensitive) or,
// when that header is absent or blank, from `x-api-key`. Key values are never logged or echoed.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "HttpRequest.hpp"
#include "StandinOptions.hpp"

namespace agent::standin {

class Authenticator {
 public:
  explicit Authenticator(const StandinOptions& options);

  /// nullopt when the request may proceed; otherwise the 401 detail ("missing API key", ...).
  std::optional<std::string> check(const HttpRequest& request) const;

 private:
  bool skip_;
  std::set<std::string, std::less<>> valid_;
  std::set<std::string, std::less<>> revoked_;
  std::set<std::string, std::less<>> expired_;
};

}  // namespace agent::standin
