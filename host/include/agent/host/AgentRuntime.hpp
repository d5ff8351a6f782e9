// AgentRuntime: useModel, the one call an agent makes to get text from a model.
//
// Mirrors elizaOS's useModel: LLM_MODE rewrites text tiers to TEXT_SMALL or TEXT_LARGE; numeric
// settings <TYPE>_<PARAM> then DEFAULT_<PARAM> are merged under the call's own params; `user`
// defaults to the character's name; then the registry resolves a handler and the call runs.
// With MODEL_FAILOVER=true a failure elizaOS fails over for (rate limit, server down, timeout,
// connection failure) moves on to the next registration. Every call gets its own trace span
// (params.trace): a child of the caller's span when the caller passed one, else a new trace.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/Events.hpp"
#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/host/Export.hpp"
#include "agent/host/PendingCall.hpp"
#include "agent/host/Settings.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host {

class CallPool;
class EventBus;
class InFlightAttempts;
class ModelRegistry;
class Logger;

/// Which handler served a call (or was tried last, on failure).
struct CallInfo {
  std::string provider;
  ModelType servedAs = ModelType::TextSmall;
  int attempts = 0;  // providers tried (more than one only with failover)
};

class AGENT_HOST_API AgentRuntime {
 public:
  /// Reads the runtime's own settings (MODEL_FAILOVER) once. A bad value is logged here and
  /// fails every call with ErrorKind::Config; checkSettings reports it up front.
  /// With `events`, every failed call is published as MODEL_FAILED.
  AgentRuntime(const Settings& settings, const ModelRegistry& registry, Logger& logger,
               EventBus* events = nullptr);
  /// Cancels the asynchronous calls still running and waits for their threads and for the tool
  /// threads of runWithTools.
  ~AgentRuntime();
  AgentRuntime(const AgentRuntime&) = delete;
  AgentRuntime& operator=(const AgentRuntime&) = delete;

  /// The first of the runtime's own settings whose value is unusable (e.g. MODEL_FAILOVER=maybe),
  /// as an error. The CLI calls it before loading any plugin.
  static Expected<Done, SettingError> checkSettings(const Settings& settings);

  ModelResult useModel(ModelType type, GenerateTextParams params,
                       std::optional<std::string_view> provider = std::nullopt,
                       CallInfo* info = nullptr) const;

  /// useModel on the host's call pool: returns at once with a handle to wait on or cancel. At
  /// most AGENT_MAX_CONCURRENT_CALLS (default 64) calls run at a time; later ones queue, and the
  /// time spent queued counts against params.deadline. When AGENT_MAX_QUEUED_CALLS (default 1024)
  /// calls already wait, the handle is complete at once with ErrorKind::Busy. The call has a
  /// cancellation token of its own, linked to params.cancellation when set: cancelling the
  /// caller's token cancels the call, cancelling the handle cancels this call only. The runtime
  /// must outlive the handle's wait.
  PendingCall useModelAsync(ModelType type, GenerateTextParams params,
                            std::optional<std::string> provider = std::nullopt) const;

  /// The registrations the call with span `trace` has failed over from so far (for the MODEL_USED
  /// its current provider emits); empty when it has left none.
  std::vector<ProviderAttempt> failedAttempts(const TraceContext& trace) const;

  /// The character's name (the agent's, in events); empty when it has none.
  const std::string& agentName() const noexcept;

  /// The bus the runtime publishes to (MODEL_FAILED; the tool loop's run and tool events), or null.
  EventBus* events() const noexcept { return events_; }

  /// The params a handler would receive for `type` (settings merged, LLM_MODE applied to `type`).
  GenerateTextParams prepareParams(ModelType& type, GenerateTextParams params) const;

 private:
  // The numeric call defaults of one model type, from <TYPE>_<PARAM> and DEFAULT_<PARAM>.
  struct CallDefaults {
    std::optional<std::int64_t> maxTokens;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<double> topK;
    std::optional<double> minP;
    std::optional<std::int64_t> seed;
    std::optional<double> repetitionPenalty;
    std::optional<double> frequencyPenalty;
    std::optional<double> presencePenalty;
  };
  const CallDefaults& callDefaults(ModelType type) const;

  CallPool& pool() const;
  friend struct ToolPoolAccess;  // the tool loop's threads (ToolRunner)
  CallPool& toolPool() const;
  ModelResult resolveAndCall(ModelType& type, GenerateTextParams& params,
                             std::optional<std::string_view> provider, CallInfo& info,
                             std::vector<ProviderAttempt>& attempts) const;
  bool movesOn(const ModelError& error, ModelType servedAs, const GenerateTextParams& params,
               bool streamed) const;
  void runAsync(ModelType type, const GenerateTextParams& params,
                const std::optional<std::string>& provider, PendingCall::State& state) const;

  const Settings& settings_;
  const ModelRegistry& registry_;
  Logger& logger_;
  EventBus* events_;

  // The pool starts with the first asynchronous call: a CLI that never makes one starts no thread.
  mutable std::mutex asyncMutex_;
  mutable std::unique_ptr<CallPool> pool_;
  mutable std::unique_ptr<CallPool> toolPool_;  // likewise, with the first tool call
  mutable std::vector<std::weak_ptr<PendingCall::State>> asyncCalls_;  // to cancel at shutdown
  std::optional<ModelType> llmMode_;                                   // LLM_MODE, read once
  mutable std::array<std::once_flag, allModelTypes().size()> callDefaultsOnce_;
  mutable std::array<CallDefaults, allModelTypes().size()> callDefaults_;
  bool failover_ = false;                       // MODEL_FAILOVER
  std::optional<std::string> settingError_;     // why every call fails, when a setting is unusable
  std::unique_ptr<InFlightAttempts> inFlight_;  // failing-over calls' attempts, by span
};

}  // namespace agent::host
