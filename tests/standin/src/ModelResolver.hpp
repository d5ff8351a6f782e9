// ModelResolver: BitRouter's model-name handling for the stand-in's fixed catalog.
//
// Sanitise (strip ANSI CSI sequences and control characters, trim), then Stage 0 (@presets and
// bitrouter/ names: none configured, so 400), then a `provider:model` pin when the provider is
// known, then an exact catalog lookup; anything else is a 404.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "StandinOptions.hpp"

namespace agent::standin {

class ModelResolver {
 public:
  explicit ModelResolver(const StandinOptions& options);

  struct Resolution {
    std::string model;  // the sanitised name, echoed in replies
    int status = 200;   // 200, 400 or 404
    std::string error;  // 400: the detail after "bad request: "
  };
  Resolution resolve(std::string_view requested) const;

  static std::string sanitise(std::string_view model);

 private:
  std::set<std::string, std::less<>> catalog_;
  std::set<std::string, std::less<>> providers_;
};

}  // namespace agent::standin
