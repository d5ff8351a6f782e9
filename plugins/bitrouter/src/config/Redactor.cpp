#include "config/Redactor.hpp"

#include <algorithm>
#include <utility>

#include "agent/support/Text.hpp"
#include "errors/TextExcerpt.hpp"

namespace agent::bitrouter {

Redactor::Redactor(std::string secret) : secret_(std::move(secret)) {
  if (secret_.size() < kMinSecretLength) secret_.clear();
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  applyInPlace(out);
  return out;
}

void Redactor::applyInPlace(std::string& text) const {
  if (secret_.empty()) return;
  std::size_t pos = 0;
  while ((pos = text.find(secret_, pos)) != std::string::npos) {
    text.replace(pos, secret_.size(), kMask);
    pos += kMask.size();
  }
}

bool Redactor::looksLikeKey(std::string_view text) const {
  constexpr std::string_view kKeyPrefix = "brvk_";
  for (std::size_t i = 0; i + kKeyPrefix.size() <= text.size(); ++i) {
    if (text::equalsIgnoreCase(text.substr(i, kKeyPrefix.size()), kKeyPrefix)) return true;
  }
  if (secret_.empty()) return false;
  const std::size_t piece = std::min(kPieceLength, secret_.size());
  for (std::size_t i = 0; i + piece <= secret_.size(); ++i) {
    if (text.find(std::string_view(secret_).substr(i, piece)) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::string Redactor::quoteSetting(std::string_view value, std::size_t maxBytes) const {
  if (looksLikeKey(value)) return std::string(kHiddenValue);
  return "'" + truncateUtf8(apply(value), maxBytes) + "'";
}

}  // namespace agent::bitrouter
