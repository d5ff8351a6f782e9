// ModelProvider: the interface a provider plugin implements.
//
// One object per loaded plugin. The host registers it for every type in supportedModelTypes(),
// ranked by the plugin's priority, and calls generateText() from many threads at once.
#pragma once

#include <vector>

#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/ModelType.hpp"

#if defined(__GNUC__)
#define AGENT_API_VISIBLE __attribute__((visibility("default")))
#else
#define AGENT_API_VISIBLE
#endif

namespace agent {

class AGENT_API_VISIBLE ModelProvider {
 public:
  virtual ~ModelProvider() = default;

  /// The model types this provider handles; read once, at registration.
  virtual std::vector<ModelType> supportedModelTypes() const = 0;

  /// Runs one call for `type` (the type whose registration was chosen, after fallback). Must be
  /// thread-safe, must not throw, and reports every failure as a ModelError. When params.stream is
  /// set and params.onChunk is given, text is delivered to it as it arrives and the whole text is
  /// still returned.
  virtual ModelResult generateText(ModelType type, const GenerateTextParams& params) noexcept = 0;
};

}  // namespace agent
