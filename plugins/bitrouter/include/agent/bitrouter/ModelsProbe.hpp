// ModelsProbe: what init learns from GET /v1/models, and what it warns about.
//
// BitRouter's /v1/models is unauthenticated, so the probe proves reachability, not the key. It
// also lists the routable catalogue: a configured bare model name (no "provider:" pin, no
// "@preset") missing from it will most likely 404. When BitRouter has a "models:" section only
// the virtual models are listed, so this is a warning, never a failure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/bitrouter/ModelTiers.hpp"

namespace agent::bitrouter {

struct ModelsProbe {
  bool reachable = false;           // BitRouter answered (any status)
  int status = 0;                   // the HTTP status when it answered
  std::vector<std::string> models;  // the ids in "data", on 2xx
  std::string problem;              // why it was unreachable or the list unusable; else empty

  /// Parses {"object":"list","data":[{"id":...}, ...]} (body parsed in place). Returns false
  /// and sets problem when the body is not such a list.
  bool parseBody(std::string& body);
};

/// A model name BitRouter resolves by catalogue lookup (so /v1/models should list it).
bool isBareModelName(std::string_view model) noexcept;

/// One warning line per configured bare model that `listed` lacks, naming the settings that
/// chose it.
std::vector<std::string> missingModelWarnings(const ModelTiers& tiers,
                                              const std::vector<std::string>& listed);

}  // namespace agent::bitrouter
