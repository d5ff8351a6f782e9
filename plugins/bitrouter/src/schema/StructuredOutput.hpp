// StructuredOutput: a model's reply to a responseSchema call -> compact, validated JSON text.
//
// Models often wrap JSON in a ```json fence even when asked not to; the fence is removed. The
// JSON is then parsed (iteratively: no stack overflow on deep input) and validated against the
// normalised schema in one pass, while the same events are written out compactly. Invalid JSON
// or a schema violation is a BadResponse error naming the first failing location - never a
// silent success (the TypeScript original returned {"wrong":1} as a success).
#pragma once

#include <string>
#include <string_view>

#include "errors/Expected.hpp"
#include "schema/CompiledSchema.hpp"

namespace agent::bitrouter {

class StructuredOutput {
 public:
  /// The JSON inside a ``` fence (with or without a language tag), else `text` trimmed.
  static std::string_view stripFence(std::string_view text) noexcept;

  /// Un-fences, parses and validates `reply`; returns the JSON as compact text.
  static Expected<std::string> validate(std::string_view reply, const CompiledSchema& schema);
};

/// The whole path in one call: compiles `schemaJson` (errors: BadRequest, the schema is refused)
/// and validates `json` against it (errors: BadResponse, the JSON does not match). For callers
/// without a SchemaCache, such as checks of tool-call arguments and the conformance test.
Expected<std::string> validateJson(std::string_view schemaJson, std::string_view json);

}  // namespace agent::bitrouter
