// ModelProvider: the interface a plugin implements to serve model calls.
//
// The host registers the plugin for every type in supportedModelTypes(), ranked by the plugin's
// priority, with the metadata of modelMetadata(), and calls generateText() from many threads at
// once.
#pragma once

#include <optional>
#include <vector>

#include "agent/GenerateTextParams.hpp"
#include "agent/ModelMetadata.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"
#include "agent/detail/ApiVisible.hpp"

namespace agent {

class AGENT_API_VISIBLE ModelProvider {
 public:
  virtual ~ModelProvider() = default;

  /// The model types this provider handles; read once, at registration.
  virtual std::vector<ModelType> supportedModelTypes() const noexcept = 0;

  /// What the provider says about the model it serves for `type` (elizaOS's registration
  /// metadata); read once, at registration. Nothing by default.
  virtual ModelMetadata modelMetadata(ModelType type) const noexcept {
    (void)type;
    return {};
  }

  /// Runs one call for `type` (the type whose registration was chosen, after fallback). Must be
  /// thread-safe, must not throw, and reports every failure as a ModelError. Must honour
  /// params.deadline and params.cancellation: end promptly (ErrorKind::Timeout / Cancelled) and
  /// emit no MODEL_USED after a cancel. When params.stream is set and params.onChunk is given,
  /// text is delivered to it as it arrives and the whole text is still returned.
  virtual ModelResult generateText(ModelType type, const GenerateTextParams& params) noexcept = 0;
};

}  // namespace agent
