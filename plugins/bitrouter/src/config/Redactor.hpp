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

  /// Pieces of the key this long give a value away as (part of) the key; see quoteSetting().
  static constexpr std::size_t kPieceLength = 8;
  static constexpr std::string_view kHiddenValue = "[not shown: it looks like an API key]";

  /// `text` with every occurrence of the secret replaced by kMask.
  std::string apply(std::string_view text) const;
  void applyInPlace(std::string& text) const;

  /// A setting's value as a config error may quote it: masked, cut to `maxBytes` and in single
  /// quotes - or kHiddenValue when it looks like a key (it contains "brvk_" in any case, or
  /// kPieceLength characters of the secret), since a key pasted into the wrong setting and then
  /// cut would slip past the mask.
  std::string quoteSetting(std::string_view value, std::size_t maxBytes) const;

  /// True when `text` contains "brvk_" (any case) or a kPieceLength-character piece of the secret.
  bool looksLikeKey(std::string_view text) const;

 private:
  std::string secret_;
};

}  // namespace agent::bitrouter
