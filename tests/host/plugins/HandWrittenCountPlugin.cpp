// A manifest whose list length is written by hand must not compile. The host tests compile this
// file and expect the compiler to refuse it:
//   COUNT_FIELD     API 1's settingCount field: there is none any more (lengths are deduced)
//   COUNT_TOO_LARGE a span built by hand with a length larger than the array: encoding the
//                   manifest at compile time reads past the array, which a constant expression
//                   cannot do
#include <agent/Plugin.hpp>

namespace {

constexpr agent::SettingSpec kSettings[] = {
    {"ONLY_SETTING", nullptr, "the one setting", false},
};

#if defined(COUNT_FIELD)
constexpr agent::PluginManifest kManifest{
    .name = "counted", .settings = kSettings, .settingCount = 5};
#elif defined(COUNT_TOO_LARGE)
constexpr agent::PluginManifest kManifest{
    .name = "counted", .settings = std::span<const agent::SettingSpec>(kSettings, 5)};
#endif

class Provider final : public agent::ModelProvider {
 public:
  explicit Provider(const agent::HostServices&) {}
  std::vector<agent::ModelType> supportedModelTypes() const noexcept override { return {}; }
  agent::ModelResult generateText(agent::ModelType,
                                  const agent::GenerateTextParams&) noexcept override {
    return agent::makeError(agent::ErrorKind::Internal, "unused");
  }
};

}  // namespace

AGENT_PLUGIN(Provider, kManifest)
