// BitRouterProvider: the ModelProvider the host loads - BitRouterClient plus elizaOS glue.
//
// The constructor is the plugin's init: it reads every BITROUTER_* setting once (through the
// host: character first, then environment) and throws ConfigError on a bad one; with a key it
// probes GET /v1/models in the background (limit 2 s) and logs what it found when the answer is
// in, so neither a BitRouter that is down nor one that never answers holds up init or fails it.
// modelMetadata describes each tier's registration. generateText maps the model type to its
// tier's model string, runs the call, and emits MODEL_USED after each success.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "agent/HostServices.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/bitrouter/BitRouterClient.hpp"
#include "agent/bitrouter/BitRouterConfig.hpp"

namespace agent::bitrouter {

class BitRouterProvider : public ModelProvider {
 public:
  static constexpr const char* kName = "bitrouter";
  static constexpr std::chrono::milliseconds kProbeTimeout{2000};

  explicit BitRouterProvider(const HostServices& host);
  ~BitRouterProvider() override;

  std::vector<ModelType> supportedModelTypes() const noexcept override;
  /// Streamable; the display model is the type's configured model; the server is
  /// BITROUTER_BASE_URL's host and port.
  ModelMetadata modelMetadata(ModelType type) const noexcept override;
  ModelResult generateText(ModelType type, const GenerateTextParams& params) noexcept override;

  const BitRouterConfig& config() const noexcept { return client_.config(); }

 private:
  void logConfiguration() const;
  void probe();
  void report(const ModelsProbe& result) const;

  const HostServices& host_;
  BitRouterClient client_;
};

}  // namespace agent::bitrouter
