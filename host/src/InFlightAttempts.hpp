// InFlightAttempts: the registrations each failing-over call has left so far, by the call's span,
// so that the MODEL_USED its next provider emits (through HostServices) can list them.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "agent/Events.hpp"
#include "agent/TraceContext.hpp"

namespace agent::host {

class InFlightAttempts {
 public:
  using SpanId = std::array<std::uint8_t, 8>;

  void set(const SpanId& span, std::vector<ProviderAttempt> attempts);
  void erase(const SpanId& span);
  /// The attempts left by the call with span `span`; empty when it has left none.
  std::vector<ProviderAttempt> find(const SpanId& span) const;

 private:
  mutable std::mutex mutex_;
  std::map<SpanId, std::vector<ProviderAttempt>> calls_;
  std::atomic<std::size_t> size_ = 0;  // lets the common case (no failover) skip the lock
};

}  // namespace agent::host
