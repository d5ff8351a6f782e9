// Redactor: removes the API key from any text before it reaches a log line or an error.
//
// Servers and proxies sometimes echo request headers back in error bodies; every piece of
// server text the plugin shows passes through here.
#pragma once

#include <string>
#include <string_view>

namespace agent::bitrouter {

class Redactor {
 public:
  static constexpr std::string_view kMask = "[redacted]";
  /// Keys shorter than this are not scrubbed: masking every "ab" would garble every message.
  static constexpr std::size_t kMinSecretLength = 4;

  Redactor() = default;
  explicit Redactor(std::string secret);

  /// `text` with every occurrence of the secret replaced by kMask.
  std::string apply(std::string_view text) const;
  void applyInPlace(std::string& text) const;

 private:
  std::string secret_;
};

}  // namespace agent::bitrouter
