// PendingCall: the handle of a model call running on the host's call pool.
//
//   agent::host::PendingCall call = host.runtime().useModelAsync(ModelType::TextLarge, params);
//   if (!call.waitFor(std::chrono::seconds(5))) call.cancel();
//   const agent::ModelResult& result = call.result();  // Cancelled, when cancel() won
//
// Handles are cheap to copy; every copy refers to the same call. cancel() ends the call for the
// caller at once (the handle completes as ErrorKind::Cancelled) and asks the provider, through
// the call's CancellationToken, to stop its work; cancelling a finished call does nothing.
#pragma once

#include <chrono>
#include <memory>

#include "agent/ModelResult.hpp"
#include "agent/host/Export.hpp"

namespace agent::host {

struct CallInfo;

class [[nodiscard]] AGENT_HOST_API PendingCall {
 public:
  struct State;  // shared by the handle and the worker that runs the call
  explicit PendingCall(std::shared_ptr<State> state) : state_(std::move(state)) {}

  /// True once the call has a result (success, failure or cancelled).
  bool done() const noexcept;

  /// Waits at most `timeout`; true when the call has a result.
  bool waitFor(std::chrono::milliseconds timeout) const;

  /// Waits for the result. The reference stays valid as long as any copy of the handle lives.
  const ModelResult& result() const;

  /// Which provider served (or was tried last); valid once done().
  const CallInfo& info() const;

  /// Stops the call: the handle completes as Cancelled now, the provider is told to stop.
  void cancel() const noexcept;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace agent::host
