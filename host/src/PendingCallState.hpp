// PendingCall::State: the result slot shared by a PendingCall and the pool worker running it.
//
// The first of complete() and cancel() wins; the other is ignored, so a provider that finishes
// after a cancel cannot overwrite the Cancelled result the caller has already seen.
//
// Each call has a token of its own, so cancelling one handle stops that call only. A token the
// caller passed in is linked to it by one callback, removed when the call ends: a long-lived
// caller token does not collect a callback per call.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "agent/Cancellation.hpp"
#include "agent/host/AgentRuntime.hpp"
#include "agent/host/PendingCall.hpp"

namespace agent::host {

struct PendingCall::State {
  std::shared_ptr<CancellationToken> cancellation = std::make_shared<CancellationToken>();

  /// Removes the callback on the caller's token (callerToken, callerCallback). Called once, when
  /// the call has ended, never from inside the caller's token (its callbacks run under its lock).
  void unlink() noexcept {
    if (callerToken) callerToken->remove(callerCallback);
    callerToken.reset();
  }

  /// Stores the result unless one is there already; true when this call stored it.
  bool complete(ModelResult result, CallInfo info) {
    {
      std::lock_guard lock(mutex);
      if (this->result) return false;
      this->result.emplace(std::move(result));
      this->info = std::move(info);
    }
    ready.notify_all();
    return true;
  }

  std::mutex mutex;
  std::condition_variable ready;
  std::optional<ModelResult> result;
  CallInfo info;
  std::shared_ptr<CancellationToken> callerToken;  // the token the caller passed, if any
  std::uint64_t callerCallback = 0;
};

}  // namespace agent::host
