// ModelTiers: which model string each elizaOS text tier sends, and which setting chose it.
//
// Same names, defaults and fallbacks as the TypeScript plugin: SMALL (gpt-4o-mini) and LARGE
// (gpt-4o); NANO and MEDIUM fall back to SMALL; MEGA, RESPONSE_HANDLER and ACTION_PLANNER fall back
// to LARGE. Knowing the setting lets a 404 say exactly what to change.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "agent/ModelType.hpp"
#include "agent/bitrouter/SettingLookup.hpp"

namespace agent::bitrouter {

struct ModelChoice {
  std::string model;        // the model string sent to BitRouter
  std::string source;       // the setting that supplied it; empty for the built-in default
  std::string tierSetting;  // the setting that overrides this tier, e.g. "BITROUTER_NANO_MODEL"

  /// "model 'gpt-5' (from BITROUTER_LARGE_MODEL)" or "model 'gpt-4o' (built-in default; set
  /// BITROUTER_MEGA_MODEL)".
  std::string describe() const;
};

class ModelTiers {
 public:
  static constexpr std::string_view kDefaultSmallModel = "gpt-4o-mini";
  static constexpr std::string_view kDefaultLargeModel = "gpt-4o";

  /// The seven text tiers the plugin registers, in elizaOS order.
  static constexpr std::array<ModelType, 7> kSupportedTypes{
      ModelType::TextNano,     ModelType::TextSmall, ModelType::TextMedium,
      ModelType::TextLarge,    ModelType::TextMega,  ModelType::ResponseHandler,
      ModelType::ActionPlanner};

  /// Every tier at its built-in default.
  ModelTiers();

  /// Reads BITROUTER_<TIER>_MODEL settings; blank values count as unset. Values are trimmed.
  static ModelTiers fromSettings(const SettingLookup& lookup);

  /// The choice for a type, or nullptr when the plugin does not serve it.
  const ModelChoice* find(ModelType type) const noexcept;

  /// "BITROUTER_SMALL_MODEL" for TextSmall, ...; empty for unsupported types.
  static std::string_view settingFor(ModelType type) noexcept;

 private:
  struct Empty {};
  explicit ModelTiers(Empty) {}

  std::array<ModelChoice, kSupportedTypes.size()> choices_;
};

}  // namespace agent::bitrouter
