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

#include "Expected.hpp"
#include "schema/CompiledSchema.hpp"

namespace agent::bitrouter {

class StructuredOutput {
 public:
  /// The JSON inside a ``` fence (with or without a language tag), else `text` trimmed.
  static std::string_view stripFence(std::string_view text) noexcept;

  /// Un-fences, parses and validates `reply`; returns the JSON as compact text.
  static Expected<std::string> validate(std::string_view reply, const CompiledSchema& schema);
};

}  // namespace agent::bitrouter
