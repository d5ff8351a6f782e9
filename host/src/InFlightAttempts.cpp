#include "InFlightAttempts.hpp"

#include <utility>

namespace agent::host {

void InFlightAttempts::set(const SpanId& span, std::vector<ProviderAttempt> attempts) {
  std::lock_guard lock(mutex_);
  calls_[span] = std::move(attempts);
  size_ = calls_.size();
}

void InFlightAttempts::erase(const SpanId& span) {
  std::lock_guard lock(mutex_);
  calls_.erase(span);
  size_ = calls_.size();
}

std::vector<ProviderAttempt> InFlightAttempts::find(const SpanId& span) const {
  if (size_ == 0) return {};
  std::lock_guard lock(mutex_);
  const auto found = calls_.find(span);
  return found == calls_.end() ? std::vector<ProviderAttempt>{} : found->second;
}

}  // namespace agent::host
