// ToolCall: the tools a model may call, how it may choose among them, and the calls it makes.
//
// JSON travels as JSON text (parameters, arguments), so the contract needs no JSON library and
// a provider forwards it as it came.
#pragma once

#include <optional>
#include <string>

namespace agent {

/// A tool offered to the model.
struct ToolDefinition {
  std::string name;
  std::string description;     // empty when unset
  std::string parameters;      // a JSON Schema as JSON text; empty when unset
  std::optional<bool> strict;  // asks the upstream to hold the arguments to the schema
};

/// How the model may use the tools: as it sees fit, not at all, at least one, or one named tool.
struct ToolChoice {
  enum class Mode { Auto, None, Required, Named };
  Mode mode = Mode::Auto;
  std::string name;  // the tool, when mode is Named
};

/// One call the model asked for.
struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text, as the model wrote it
  /// Empty when the arguments are a JSON object that fits the tool's parameters schema; else one
  /// line that says what is wrong, so a host can tell the model instead of running the tool.
  std::string problem;
};

}  // namespace agent
