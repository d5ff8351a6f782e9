// PendingCall::State: the result slot shared by a PendingCall and the pool worker running it.
//
// The first of complete() and cancel() wins; the other is ignored, so a provider that finishes
// after a cancel cannot overwrite the Cancelled result the caller has already seen.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "agent/Cancellation.hpp"
#include "agent/host/AgentRuntime.hpp"
#include "agent/host/PendingCall.hpp"

namespace agent::host {

struct PendingCall::State {
  std::shared_ptr<CancellationToken> cancellation = std::make_shared<CancellationToken>();

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
};

}  // namespace agent::host
