#include "chat/JsonModeHint.hpp"

#include "agent/support/Text.hpp"

namespace agent::bitrouter {
namespace {

bool containsJson(std::string_view text) noexcept {
  constexpr std::string_view kWord = "json";
  for (std::size_t i = 0; i + kWord.size() <= text.size(); ++i) {
    if (text::equalsIgnoreCase(text.substr(i, kWord.size()), kWord)) return true;
  }
  return false;
}

}  // namespace

bool JsonModeHint::mentionsJson(const GenerateTextParams& params) noexcept {
  // `system` is sent unless the messages carry a system prompt of their own.
  bool ownSystem = false;
  for (const ChatMessage& message : params.messages) {
    if (containsJson(message.content)) return true;
    ownSystem |= message.role == "system" || message.role == "developer";
  }
  if (!ownSystem && params.system && containsJson(*params.system)) return true;
  return params.messages.empty() && containsJson(params.prompt);
}

std::string JsonModeHint::line(std::string_view schemaJson) {
  return "Reply with a JSON object that matches this JSON Schema: " + std::string(schemaJson);
}

}  // namespace agent::bitrouter
