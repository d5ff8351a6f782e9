// CompiledSchema: a caller's responseSchema, checked once and ready to validate replies.
//
// Holds the schema as sent to BitRouter (compact JSON of the caller's text) and the normalised
// draft-04 copy compiled into a RapidJSON SchemaDocument. Immutable after compile(), so one
// instance is shared by every thread that validates against it (see SchemaCache).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include "Expected.hpp"

namespace agent::bitrouter {

class CompiledSchema {
 public:
  /// Any nesting deeper than this is refused before RapidJSON's recursive walks see it.
  static constexpr std::size_t kMaxJsonDepth = 128;

  /// Parses, normalises, checks (JSON, object, depth, $refs, draft-04 meta-schema) and compiles.
  /// Errors are BadRequest: an invalid schema is the caller's mistake, found before any request.
  static Expected<std::shared_ptr<const CompiledSchema>> compile(std::string_view schemaJson);

  /// The caller's schema as compact JSON: what response_format carries.
  const std::string& compactJson() const noexcept { return compact_; }
  /// The normalised copy (draft-04), which the validator's pointers refer to.
  const rapidjson::Document& normalized() const noexcept { return normalized_; }
  const rapidjson::SchemaDocument& schema() const noexcept { return *schema_; }

  CompiledSchema(const CompiledSchema&) = delete;
  CompiledSchema& operator=(const CompiledSchema&) = delete;

 private:
  CompiledSchema() = default;

  std::string compact_;
  rapidjson::Document normalized_;
  std::unique_ptr<rapidjson::SchemaDocument> schema_;
};

}  // namespace agent::bitrouter
