// A configurable test plugin. Each CMake target compiles this file with other definitions:
//   TEST_PLUGIN_NAME              provider name (settings are prefixed with it in upper case)
//   TEST_PLUGIN_PRIORITY_SETTING  the manifest's prioritySetting
//   TEST_PLUGIN_AUTOENABLE_1/_2   optional autoEnable keys
//   TEST_PLUGIN_INIT_FAILS        the constructor (init) throws
//   TEST_PLUGIN_UNDEFINED_SYMBOL  calls a function no library defines (built without
//                                 --no-undefined, so only RTLD_NOW catches it)
// At run time, the setting <NAME>_FAIL_WITH=<error kind> makes every call fail with that kind.
// Replies are "<name>/<served type>: <prompt>", so tests can see who served and as what.
#include <agent/Plugin.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

#ifdef TEST_PLUGIN_UNDEFINED_SYMBOL
extern "C" int agent_test_symbol_that_does_not_exist(int);
#endif

namespace {

#if defined(TEST_PLUGIN_AUTOENABLE_2)
constexpr const char* kAutoEnable[] = {TEST_PLUGIN_AUTOENABLE_1, TEST_PLUGIN_AUTOENABLE_2};
constexpr std::size_t kAutoEnableCount = 2;
#elif defined(TEST_PLUGIN_AUTOENABLE_1)
constexpr const char* kAutoEnable[] = {TEST_PLUGIN_AUTOENABLE_1};
constexpr std::size_t kAutoEnableCount = 1;
#else
constexpr const char* const* kAutoEnable = nullptr;
constexpr std::size_t kAutoEnableCount = 0;
#endif

constexpr agent::SettingSpec kSettings[] = {
    {"TEST_SECRET_KEY", nullptr, "a secret the loader must never print", true},
};

constexpr agent::PluginManifest kManifest{
    .name = TEST_PLUGIN_NAME,
    .description = "test plugin",
    .version = "0.0.1",
    .defaultPriority = TEST_PLUGIN_DEFAULT_PRIORITY,
    .prioritySetting = TEST_PLUGIN_PRIORITY_SETTING,
    .autoEnableKeys = kAutoEnable,
    .autoEnableKeyCount = kAutoEnableCount,
    .settings = kSettings,
    .settingCount = std::size(kSettings),
};

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

std::optional<agent::ErrorKind> parseKind(const std::string& text) {
  for (int i = 0; i <= static_cast<int>(agent::ErrorKind::Internal); ++i) {
    const auto kind = static_cast<agent::ErrorKind>(i);
    if (agent::toString(kind) == text) return kind;
  }
  return std::nullopt;
}

class TestProvider final : public agent::ModelProvider {
 public:
  explicit TestProvider(const agent::HostServices& host) : host_(host) {
#ifdef TEST_PLUGIN_INIT_FAILS
    throw std::runtime_error("TEST init failure: missing TEST_REQUIRED_KEY");
#endif
  }

  std::vector<agent::ModelType> supportedModelTypes() const override {
    return {agent::ModelType::TextSmall, agent::ModelType::TextLarge};
  }

  agent::ModelResult generateText(agent::ModelType type,
                                  const agent::GenerateTextParams& params) noexcept override {
    try {
#ifdef TEST_PLUGIN_UNDEFINED_SYMBOL
      if (agent_test_symbol_that_does_not_exist(1) == 0)
        return agent::makeError(agent::ErrorKind::Internal, "?");
#endif
      if (auto failWith = host_.setting(upper(TEST_PLUGIN_NAME) + "_FAIL_WITH")) {
        if (auto kind = parseKind(*failWith)) {
          return agent::makeError(*kind, std::string(TEST_PLUGIN_NAME) + " was told to fail");
        }
      }
      agent::ModelOutput output;
      output.text = std::string(TEST_PLUGIN_NAME) + "/" + std::string(agent::toString(type)) +
                    ": " + params.prompt;
      output.model = std::string(TEST_PLUGIN_NAME) + "-model";
      output.finishReason = "stop";
      output.usage = {1, 2, 3, false};
      if (params.stream && params.onChunk) {
        if (!params.onChunk(output.text)) {
          return agent::makeError(agent::ErrorKind::Cancelled, "cancelled");
        }
      }
      host_.emitModelUsed({TEST_PLUGIN_NAME, type, output.model, output.usage, {}, {}, false, 1});
      return output;
    } catch (...) {
      return agent::makeError(agent::ErrorKind::Internal, "exception");
    }
  }

 private:
  const agent::HostServices& host_;
};

}  // namespace

AGENT_PLUGIN(TestProvider, kManifest)
