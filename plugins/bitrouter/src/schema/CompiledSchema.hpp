// CompiledSchema: a caller's responseSchema, checked once and ready to validate replies.
//
// Holds the schema as sent to BitRouter (compact JSON of the caller's text) and the normalised
// draft-04 copy compiled into a RapidJSON SchemaDocument. compile() runs the whole pipeline:
// depth (SchemaLimits), parse, KeywordPolicy (nothing silently ignored), SchemaNormalizer, $ref
// checks, SchemaSafety, the draft-04 meta-schema, and records whether the schema could be sent
// strictly (StrictSchema). Immutable after compile(), so one instance is shared by every thread
// that validates against it (see SchemaCache).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include "errors/Expected.hpp"

namespace agent::bitrouter {

class CompiledSchema {
 public:
  /// Parses, checks, normalises and compiles (see above).
  /// Errors are BadRequest: an invalid schema is the caller's mistake, found before any request.
  static Expected<std::shared_ptr<const CompiledSchema>> compile(std::string_view schemaJson);

  /// The caller's schema as compact JSON: what response_format carries.
  const std::string& compactJson() const noexcept { return compact_; }
  /// The normalised copy (draft-04), which the validator's pointers refer to.
  const rapidjson::Document& normalized() const noexcept { return normalized_; }
  const rapidjson::SchemaDocument& schema() const noexcept { return *schema_; }
  /// Why strict json_schema mode cannot take this schema, or "" (StrictSchema).
  const std::string& strictModeProblem() const noexcept { return strictProblem_; }

  CompiledSchema(const CompiledSchema&) = delete;
  CompiledSchema& operator=(const CompiledSchema&) = delete;

 private:
  CompiledSchema() = default;

  std::string compact_;
  std::string strictProblem_;
  rapidjson::Document normalized_;
  std::unique_ptr<rapidjson::SchemaDocument> schema_;
};

}  // namespace agent::bitrouter
