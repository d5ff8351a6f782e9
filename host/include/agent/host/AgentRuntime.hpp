// AgentRuntime: useModel, the one call an agent makes to get text from a model.
//
// Mirrors elizaOS's useModel: LLM_MODE rewrites text tiers to TEXT_SMALL or TEXT_LARGE; numeric
// settings <TYPE>_<PARAM> then DEFAULT_<PARAM> are merged under the call's own params; `user`
// defaults to the character's name; then the registry resolves a handler and the call runs.
// Beyond elizaOS: with MODEL_FAILOVER=true a retryable failure moves on to the next candidate.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/host/Settings.hpp"

namespace agent::host {

class ModelRegistry;
class Logger;

/// Which handler served a call (or was tried last, on failure).
struct CallInfo {
  std::string provider;
  ModelType servedAs = ModelType::TextSmall;
  int attempts = 0;  // providers tried (more than one only with failover)
};

class AgentRuntime {
 public:
  /// Reads the runtime's own settings (MODEL_FAILOVER) once. A bad value is logged here and
  /// fails every call with ErrorKind::Config; checkSettings reports it up front.
  AgentRuntime(const Settings& settings, const ModelRegistry& registry, Logger& logger);

  /// The first of the runtime's own settings whose value is unusable (e.g. MODEL_FAILOVER=maybe),
  /// or nullopt. The CLI calls it before loading any plugin.
  static std::optional<SettingError> checkSettings(const Settings& settings);

  ModelResult useModel(ModelType type, GenerateTextParams params,
                       std::optional<std::string_view> provider = std::nullopt,
                       CallInfo* info = nullptr) const;

  /// The params a handler would receive for `type` (settings merged, LLM_MODE applied to `type`).
  GenerateTextParams prepareParams(ModelType& type, GenerateTextParams params) const;

 private:
  const Settings& settings_;
  const ModelRegistry& registry_;
  Logger& logger_;
  bool failover_ = false;                    // MODEL_FAILOVER
  std::optional<std::string> settingError_;  // why every call fails, when a setting is unusable
};

}  // namespace agent::host
