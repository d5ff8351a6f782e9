// ToolArgumentCheck: what is wrong with a tool call's arguments, written into ToolCall::problem.
//
// A model's malformed arguments do not fail the call: the host can tell the model and let it try
// again. The arguments must be a JSON object and, when the tool declares a `parameters` schema
// the plugin can run, match it (validated as StructuredOutput validates replies). A call to a
// tool the request did not offer is a problem too.
#pragma once

#include <vector>

#include "agent/ToolCall.hpp"
#include "schema/SchemaCache.hpp"

namespace agent::bitrouter {

class ToolArgumentCheck {
 public:
  ToolArgumentCheck(const std::vector<ToolDefinition>& tools, SchemaCache& schemas) noexcept
      : tools_(tools), schemas_(schemas) {}

  /// Sets call.problem ("" when the arguments are fine).
  void check(ToolCall& call) const;

 private:
  const std::vector<ToolDefinition>& tools_;
  SchemaCache& schemas_;
};

}  // namespace agent::bitrouter
