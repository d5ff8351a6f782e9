// A well-formed plugin that must keep loading whatever else lies in the plugins directory.
#include <agent/Plugin.hpp>

namespace {

constexpr agent::PluginManifest kManifest{
    .name = "faultgood",
    .description = "a plugin that loads",
    .version = "1.0.0",
};

class GoodProvider final : public agent::ModelProvider {
 public:
  explicit GoodProvider(const agent::HostServices&) {}

  std::vector<agent::ModelType> supportedModelTypes() const noexcept override {
    return {agent::ModelType::TextSmall};
  }

  agent::ModelResult generateText(agent::ModelType,
                                  const agent::GenerateTextParams& params) noexcept override {
    try {
      agent::ModelOutput output;
      output.text = "faultgood: " + params.prompt;
      output.finishReason = "stop";
      return output;
    } catch (...) {
      return agent::makeError(agent::ErrorKind::Internal, "out of memory");
    }
  }
};

}  // namespace

AGENT_PLUGIN(GoodProvider, kManifest)
