// AgentRuntime: useModel, the one call an agent makes to get text from a model.
//
// Mirrors elizaOS's useModel: LLM_MODE rewrites text tiers to TEXT_SMALL or TEXT_LARGE; numeric
// settings <TYPE>_<PARAM> then DEFAULT_<PARAM> are merged under the call's own params; `user`
// defaults to the character's name; then the registry resolves a handler and the call runs.
// Beyond elizaOS: with MODEL_FAILOVER=true a retryable failure moves on to the next candidate.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  /// Cancels the asynchronous calls still running and waits for their threads.
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
  void runAsync(ModelType type, const GenerateTextParams& params,
                const std::optional<std::string>& provider, PendingCall::State& state) const;
  ModelResult resolveAndCall(ModelType& type, GenerateTextParams params,
                             std::optional<std::string_view> provider, CallInfo& info) const;

  const Settings& settings_;
  const ModelRegistry& registry_;
  Logger& logger_;
  EventBus* events_;

  // The pool starts with the first asynchronous call: a CLI that never makes one starts no thread.
  mutable std::mutex asyncMutex_;
  mutable std::unique_ptr<CallPool> pool_;
  mutable std::vector<std::weak_ptr<PendingCall::State>> asyncCalls_;  // to cancel at shutdown
  std::optional<ModelType> llmMode_;                                   // LLM_MODE, read once
  mutable std::array<std::once_flag, allModelTypes().size()> callDefaultsOnce_;
  mutable std::array<CallDefaults, allModelTypes().size()> callDefaults_;
  bool failover_ = false;                    // MODEL_FAILOVER
  std::optional<std::string> settingError_;  // why every call fails, when a setting is unusable
};

}  // namespace agent::host
