#include "agent/bitrouter/ModelsProbe.hpp"

#include <algorithm>

#include <rapidjson/document.h>

namespace agent::bitrouter {

bool ModelsProbe::parseBody(std::string& body) {
  rapidjson::Document document;
  document.ParseInsitu<rapidjson::kParseIterativeFlag>(body.data());
  const rapidjson::Value* data = nullptr;
  if (!document.HasParseError() && document.IsObject()) {
    const auto member = document.FindMember("data");
    if (member != document.MemberEnd() && member->value.IsArray()) data = &member->value;
  }
  if (data == nullptr) {
    problem = "GET /v1/models did not return a model list";
    return false;
  }
  for (const auto& entry : data->GetArray()) {
    if (!entry.IsObject()) continue;
    const auto id = entry.FindMember("id");
    if (id != entry.MemberEnd() && id->value.IsString()) {
      models.emplace_back(id->value.GetString(), id->value.GetStringLength());
    }
  }
  return true;
}

bool isBareModelName(std::string_view model) noexcept {
  return !model.empty() && model.find(':') == std::string_view::npos && model.front() != '@' &&
         model.rfind("bitrouter/", 0) != 0;
}

std::vector<std::string> missingModelWarnings(const ModelTiers& tiers,
                                              const std::vector<std::string>& listed) {
  // One entry per missing model, in tier order: the first choice that sends it (for its
  // description) and every type that does.
  struct Missing {
    const ModelChoice* choice;
    std::string types;
  };
  std::vector<Missing> missing;
  for (const ModelType type : ModelTiers::kSupportedTypes) {
    const ModelChoice* choice = tiers.find(type);
    if (choice == nullptr || !isBareModelName(choice->model)) continue;
    if (std::find(listed.begin(), listed.end(), choice->model) != listed.end()) continue;
    auto same = std::find_if(missing.begin(), missing.end(), [&](const Missing& entry) {
      return entry.choice->model == choice->model;
    });
    if (same == missing.end()) {
      missing.push_back({choice, std::string(toString(type))});
    } else {
      same->types += ", " + std::string(toString(type));
    }
  }
  std::vector<std::string> warnings;
  for (const Missing& entry : missing) {
    warnings.push_back(entry.choice->describe() + " is not listed by BitRouter's GET /v1/models; " +
                       entry.types +
                       " calls may fail with 404 (check the name, or pin a provider as "
                       "provider:model)");
  }
  return warnings;
}

}  // namespace agent::bitrouter
