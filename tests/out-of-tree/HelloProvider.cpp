// The smallest useful provider: always enabled, serves TEXT_SMALL, answers "hello, <prompt>".
#include <agent/Plugin.hpp>

#include <chrono>

namespace {

constexpr agent::PluginManifest kManifest{
    .name = "hello",
    .description = "Out-of-tree test provider",
    .version = "0.1.0",
    .defaultPriority = 0,
    .prioritySetting = "HELLO_PRIORITY",  // no autoEnableKeys: always enabled
};

class HelloProvider final : public agent::ModelProvider {
 public:
  explicit HelloProvider(const agent::HostServices& host) : host_(host) {}

  std::vector<agent::ModelType> supportedModelTypes() const noexcept override {
    return {agent::ModelType::TextSmall};
  }

  agent::ModelResult generateText(agent::ModelType type,
                                  const agent::GenerateTextParams& params) noexcept override {
    try {
      const auto started = std::chrono::steady_clock::now();
      agent::ModelOutput output;
      output.text = "hello, " + params.prompt;
      output.model = "hello-1";
      output.finishReason = "stop";
      host_.emitModelUsed(agent::modelUsedEvent(kManifest.name, type, params, output, started));
      return output;
    } catch (...) {
      return agent::makeError(agent::ErrorKind::Internal, "hello: out of memory");
    }
  }

 private:
  const agent::HostServices& host_;
};

}  // namespace

AGENT_PLUGIN(HelloProvider, kManifest)
