// ModelRegistry: which provider serves which model type, ranked as elizaOS ranks them.
//
// Per model type, registrations are kept sorted by priority (descending), ties broken by
// registration order (earliest first). Resolution walks elizaOS's fallback chain:
//   TEXT_NANO -> TEXT_SMALL          TEXT_MEDIUM -> TEXT_SMALL        TEXT_MEGA -> TEXT_LARGE
//   RESPONSE_HANDLER -> TEXT_NANO -> TEXT_SMALL    ACTION_PLANNER -> TEXT_MEDIUM -> TEXT_SMALL
// and every other type resolves to itself only. Thread-safe: registration may race with lookups.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/ModelMetadata.hpp"
#include "agent/ModelProvider.hpp"
#include "agent/host/Export.hpp"

namespace agent::host {

/// The chain of types tried for `type`, starting with `type` itself.
AGENT_HOST_API std::span<const ModelType> fallbackChain(ModelType type);

struct ModelRegistration {
  std::shared_ptr<ModelProvider> provider;  // keeps the plugin library loaded while alive
  std::string providerName;
  double priority = 0;         // higher wins; any finite number, as in elizaOS
  std::uint64_t sequence = 0;  // registration order
  ModelMetadata metadata;      // what the provider says about the model (modelMetadata(type))
};

/// A registration without its handler: elizaOS's getModelRegistrations() row.
struct ModelRegistrationInfo {
  ModelType type = ModelType::TextSmall;
  std::string provider;
  double priority = 0;
  std::uint64_t sequence = 0;  // registration index (ties go to the earliest)
  ModelMetadata metadata;
};

/// A resolved handler: who serves, and which registered type (after fallback) it serves as.
struct [[nodiscard]] Resolution {
  ModelRegistration registration;
  ModelType servedAs;
};

class AGENT_HOST_API ModelRegistry {
 public:
  void registerModel(ModelType type, std::shared_ptr<ModelProvider> provider,
                     std::string providerName, double priority, ModelMetadata metadata = {});

  /// Every registration without its handler, in the order resolution uses: by model type, then
  /// best first within a type (priority descending, then registration index).
  std::vector<ModelRegistrationInfo> getModelRegistrations() const;

  /// Removes every registration of a provider (its library unloads once no call holds it).
  void unregisterProvider(std::string_view providerName);

  /// elizaOS resolution: for each type of the fallback chain, the first registration (or, with
  /// `provider`, the first registration of that provider); nullopt when the chain has none.
  std::optional<Resolution> resolve(ModelType type,
                                    std::optional<std::string_view> provider = std::nullopt) const;

  /// Every registration for exactly `type`, best first (no fallback).
  std::vector<ModelRegistration> ranked(ModelType type) const;

  /// Registrations reachable for `type`, best first, across the fallback chain (used by failover).
  /// Each provider appears once, at its best reachable registration (retrying a provider that just
  /// failed is pointless). With `provider`, only that provider's registrations.
  std::vector<Resolution> candidates(ModelType type,
                                     std::optional<std::string_view> provider = std::nullopt) const;

  /// True when any text-generation type has at least one registration.
  bool hasAnyTextProvider() const;

  /// True when `providerName` has at least one registration.
  bool hasProvider(std::string_view providerName) const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<ModelType, std::vector<ModelRegistration>> models_;
  std::uint64_t nextSequence_ = 0;
};

}  // namespace agent::host
