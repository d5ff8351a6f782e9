#include "agent/host/ModelRegistry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <utility>

namespace agent::host {

std::span<const ModelType> fallbackChain(ModelType type) {
  // elizaOS's getModelFallbackChain: literal lists, not recursive (MEGA never reaches SMALL).
  using enum ModelType;
  static constexpr std::array kNano{TextNano, TextSmall};
  static constexpr std::array kMedium{TextMedium, TextSmall};
  static constexpr std::array kMega{TextMega, TextLarge};
  static constexpr std::array kResponseHandler{ResponseHandler, TextNano, TextSmall};
  static constexpr std::array kActionPlanner{ActionPlanner, TextMedium, TextSmall};
  static constexpr auto kAll = allModelTypes();
  switch (type) {
    case TextNano:
      return kNano;
    case TextMedium:
      return kMedium;
    case TextMega:
      return kMega;
    case ResponseHandler:
      return kResponseHandler;
    case ActionPlanner:
      return kActionPlanner;
    default:
      break;
  }
  // Every other type is its own one-element chain; point into the table of all types.
  const auto it = std::find(kAll.begin(), kAll.end(), type);
  return {it, it == kAll.end() ? 0u : 1u};
}

void ModelRegistry::registerModel(ModelType type, std::shared_ptr<ModelProvider> provider,
                                  std::string providerName, double priority,
                                  ModelMetadata metadata) {
  if (std::isnan(priority)) priority = 0;  // NaN would break the ordering
  std::unique_lock lock(mutex_);
  auto& list = models_[type];
  ModelRegistration registration{std::move(provider), std::move(providerName), priority,
                                 nextSequence_++, std::move(metadata)};
  // Priority descending; a newcomer goes after everyone of equal priority (earliest wins ties).
  const auto position = std::find_if(list.begin(), list.end(), [priority](const auto& existing) {
    return existing.priority < priority;
  });
  list.insert(position, std::move(registration));
}

std::vector<ModelRegistrationInfo> ModelRegistry::getModelRegistrations() const {
  std::shared_lock lock(mutex_);
  std::vector<ModelRegistrationInfo> rows;
  for (const auto& [type, list] : models_) {  // std::map: model types in enum order
    for (const auto& registration : list) {
      rows.push_back({type, registration.providerName, registration.priority, registration.sequence,
                      registration.metadata});
    }
  }
  return rows;
}

void ModelRegistry::unregisterProvider(std::string_view providerName) {
  // Moved out and released after the lock: destroying the last reference unloads a library, and
  // plugin destructors should not run under our lock.
  std::vector<ModelRegistration> removed;
  {
    std::unique_lock lock(mutex_);
    for (auto& [type, list] : models_) {
      for (auto it = list.begin(); it != list.end();) {
        if (it->providerName == providerName) {
          removed.push_back(std::move(*it));
          it = list.erase(it);
        } else {
          ++it;
        }
      }
    }
    std::erase_if(models_, [](const auto& entry) { return entry.second.empty(); });
  }
}

std::optional<Resolution> ModelRegistry::resolve(ModelType type,
                                                 std::optional<std::string_view> provider) const {
  std::shared_lock lock(mutex_);
  for (ModelType candidate : fallbackChain(type)) {
    const auto found = models_.find(candidate);
    if (found == models_.end() || found->second.empty()) continue;
    const auto& list = found->second;
    if (!provider) return Resolution{list.front(), candidate};
    // An explicit provider filters each chain step; no match means "try the next step".
    const auto match = std::find_if(list.begin(), list.end(), [&](const auto& registration) {
      return registration.providerName == *provider;
    });
    if (match != list.end()) return Resolution{*match, candidate};
  }
  return std::nullopt;
}

std::vector<ModelRegistration> ModelRegistry::ranked(ModelType type) const {
  std::shared_lock lock(mutex_);
  const auto found = models_.find(type);
  if (found == models_.end()) return {};
  return found->second;
}

std::vector<Resolution> ModelRegistry::candidates(ModelType type,
                                                  std::optional<std::string_view> provider) const {
  std::shared_lock lock(mutex_);
  std::vector<Resolution> result;
  const auto seen = [&result](const std::string& name) {
    return std::any_of(result.begin(), result.end(), [&name](const Resolution& r) {
      return r.registration.providerName == name;
    });
  };
  for (ModelType candidate : fallbackChain(type)) {
    const auto found = models_.find(candidate);
    if (found == models_.end()) continue;
    for (const auto& registration : found->second) {
      if (provider && registration.providerName != *provider) continue;
      if (seen(registration.providerName)) continue;
      result.push_back(Resolution{registration, candidate});
    }
  }
  return result;
}

bool ModelRegistry::hasAnyTextProvider() const {
  std::shared_lock lock(mutex_);
  return std::any_of(models_.begin(), models_.end(), [](const auto& entry) {
    return isTextGeneration(entry.first) && !entry.second.empty();
  });
}

bool ModelRegistry::hasProvider(std::string_view providerName) const {
  std::shared_lock lock(mutex_);
  for (const auto& [type, list] : models_) {
    for (const auto& registration : list) {
      if (registration.providerName == providerName) return true;
    }
  }
  return false;
}

}  // namespace agent::host
