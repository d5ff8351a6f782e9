#include "agent/test/TestEnvironment.hpp"

#include <optional>
#include <string_view>
#include <utility>

namespace agent::test {

host::Settings::Environment mapEnvironment(EnvMap values) {
  return [values = std::move(values)](std::string_view key) -> std::optional<std::string> {
    if (auto it = values.find(std::string(key)); it != values.end()) return it->second;
    return std::nullopt;
  };
}

GenerateTextParams withPrompt(std::string prompt, bool stream) {
  GenerateTextParams params;
  params.prompt = std::move(prompt);
  params.stream = stream;
  return params;
}

}  // namespace agent::test
