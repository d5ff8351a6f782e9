#include "chat/ToolArgumentCheck.hpp"

#include <string_view>

#include "chat/ToolsJson.hpp"
#include "errors/TextExcerpt.hpp"
#include "schema/StructuredOutput.hpp"

namespace agent::bitrouter {
namespace {

// StructuredOutput words its messages for replies; here they are about arguments.
std::string rewordSchemaProblem(std::string message, const std::string& tool) {
  constexpr std::string_view kMismatch = "BitRouter's reply does not match responseSchema";
  constexpr std::string_view kReply = "BitRouter's reply";
  if (message.rfind(kMismatch, 0) == 0) {
    return "the arguments do not match the parameters of '" + tool + "'" +
           message.substr(kMismatch.size());
  }
  if (message.rfind(kReply, 0) == 0) return "the arguments" + message.substr(kReply.size());
  return message;
}

}  // namespace

void ToolArgumentCheck::check(ToolCall& call) const {
  call.problem.clear();
  if (!ToolsJson::isJsonObjectText(call.arguments)) {
    call.problem = call.arguments.empty()
                       ? "the arguments are empty, not a JSON object"
                       : "the arguments are not a JSON object: " + textExcerpt(call.arguments, 80);
    return;
  }
  if (tools_.empty()) return;
  const ToolDefinition* tool = nullptr;
  for (const ToolDefinition& candidate : tools_) {
    if (candidate.name == call.name) tool = &candidate;
  }
  if (tool == nullptr) {
    call.problem = "the model called '" + textExcerpt(call.name, 80) +
                   "', which is not among the call's tools";
    return;
  }
  if (tool->parameters.empty()) return;
  // A schema this plugin cannot compile is the upstream's to enforce, not a problem of the call.
  auto schema = schemas_.get(tool->parameters);
  if (!schema) return;
  Expected<std::string> validated = StructuredOutput::validate(call.arguments, *schema.value());
  if (!validated) call.problem = rewordSchemaProblem(validated.error().message, tool->name);
}

}  // namespace agent::bitrouter
