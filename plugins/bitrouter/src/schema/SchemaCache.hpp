// SchemaCache: compiled responseSchemas, shared across calls and threads.
//
// An agent sends the same few schemas over and over; compiling one (parse, normalise, meta-check,
// build the SchemaDocument) costs far more than validating a reply, so each distinct schema text
// is compiled once. Bounded: when full, the cache starts over.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "schema/CompiledSchema.hpp"

namespace agent::bitrouter {

class SchemaCache {
 public:
  static constexpr std::size_t kDefaultCapacity = 64;

  explicit SchemaCache(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  /// The compiled schema for `schemaJson`; errors (BadRequest) are not cached. `strict`: the
  /// schema is to be sent as strict json_schema, so one that cannot be is a BadRequest too.
  Expected<std::shared_ptr<const CompiledSchema>> get(std::string_view schemaJson,
                                                      bool strict = false);

  std::size_t size() const;

 private:
  Expected<std::shared_ptr<const CompiledSchema>> lookUp(std::string_view schemaJson);

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const CompiledSchema>, std::less<>> entries_;
};

}  // namespace agent::bitrouter
