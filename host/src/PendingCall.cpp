#include "agent/host/PendingCall.hpp"

#include "PendingCallState.hpp"

namespace agent::host {

bool PendingCall::done() const noexcept {
  std::lock_guard lock(state_->mutex);
  return state_->result.has_value();
}

bool PendingCall::waitFor(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->ready.wait_for(lock, timeout, [&] { return state_->result.has_value(); });
}

const ModelResult& PendingCall::result() const {
  std::unique_lock lock(state_->mutex);
  state_->ready.wait(lock, [&] { return state_->result.has_value(); });
  return *state_->result;
}

const CallInfo& PendingCall::info() const {
  result();
  return state_->info;
}

void PendingCall::cancel() const noexcept {
  try {
    state_->complete(makeError(ErrorKind::Cancelled, "the call was cancelled by the caller"), {});
  } catch (...) {  // out of memory for the message: the token below still stops the provider
  }
  state_->cancellation->cancel();
}

}  // namespace agent::host
