#include "agent/bitrouter/ModelTiers.hpp"

#include "agent/support/Text.hpp"

namespace agent::bitrouter {
namespace {

constexpr std::string_view kSmallSetting = "BITROUTER_SMALL_MODEL";
constexpr std::string_view kLargeSetting = "BITROUTER_LARGE_MODEL";

struct TierSpec {
  ModelType type;
  std::string_view setting;
  bool large;  // falls back to LARGE (else SMALL)
};

constexpr std::array<TierSpec, ModelTiers::kSupportedTypes.size()> kTiers{{
    {ModelType::TextNano, "BITROUTER_NANO_MODEL", false},
    {ModelType::TextSmall, kSmallSetting, false},
    {ModelType::TextMedium, "BITROUTER_MEDIUM_MODEL", false},
    {ModelType::TextLarge, kLargeSetting, true},
    {ModelType::TextMega, "BITROUTER_MEGA_MODEL", true},
    {ModelType::ResponseHandler, "BITROUTER_RESPONSE_HANDLER_MODEL", true},
    {ModelType::ActionPlanner, "BITROUTER_ACTION_PLANNER_MODEL", true},
}};

std::optional<std::string> nonBlank(const SettingLookup& lookup, std::string_view key) {
  if (!lookup) return std::nullopt;
  std::optional<std::string> value = lookup(key);
  if (!value) return std::nullopt;
  const std::string_view trimmed = text::trim(*value);
  if (trimmed.empty()) return std::nullopt;
  return std::string(trimmed);
}

}  // namespace

std::string ModelChoice::describe() const {
  std::string out = "model '" + model + "' (";
  if (source.empty()) {
    out += "built-in default; set " + tierSetting;
  } else {
    out += "from " + source;
  }
  out += ")";
  return out;
}

ModelTiers::ModelTiers() : ModelTiers(fromSettings(SettingLookup{})) {}

ModelTiers ModelTiers::fromSettings(const SettingLookup& lookup) {
  ModelChoice small{std::string(kDefaultSmallModel), "", std::string(kSmallSetting)};
  if (auto value = nonBlank(lookup, kSmallSetting))
    small = {*value, std::string(kSmallSetting), ""};
  ModelChoice large{std::string(kDefaultLargeModel), "", std::string(kLargeSetting)};
  if (auto value = nonBlank(lookup, kLargeSetting))
    large = {*value, std::string(kLargeSetting), ""};

  ModelTiers tiers{Empty{}};
  for (std::size_t i = 0; i < kTiers.size(); ++i) {
    const TierSpec& spec = kTiers[i];
    ModelChoice choice = spec.large ? large : small;
    if (auto own = nonBlank(lookup, spec.setting)) {
      choice.model = *own;
      choice.source = std::string(spec.setting);
    }
    choice.tierSetting = std::string(spec.setting);
    tiers.choices_[i] = std::move(choice);
  }
  return tiers;
}

const ModelChoice* ModelTiers::find(ModelType type) const noexcept {
  for (std::size_t i = 0; i < kTiers.size(); ++i) {
    if (kTiers[i].type == type) return &choices_[i];
  }
  return nullptr;
}

std::string_view ModelTiers::settingFor(ModelType type) noexcept {
  for (const TierSpec& spec : kTiers) {
    if (spec.type == type) return spec.setting;
  }
  return {};
}

}  // namespace agent::bitrouter
