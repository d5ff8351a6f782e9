#include "agent/bitrouter/Redactor.hpp"

#include <utility>

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

}  // namespace agent::bitrouter
