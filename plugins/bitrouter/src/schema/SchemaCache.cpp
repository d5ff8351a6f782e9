#include "schema/SchemaCache.hpp"

namespace agent::bitrouter {

Expected<std::shared_ptr<const CompiledSchema>> SchemaCache::get(std::string_view schemaJson,
                                                                 bool strict) {
  auto compiled = lookUp(schemaJson);
  if (compiled && strict && !compiled.value()->strictModeProblem().empty()) {
    return makeError(ErrorKind::BadRequest, compiled.value()->strictModeProblem());
  }
  return compiled;
}

Expected<std::shared_ptr<const CompiledSchema>> SchemaCache::lookUp(std::string_view schemaJson) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = entries_.find(schemaJson);
    if (found != entries_.end()) return found->second;
  }
  // Compiled outside the lock; two threads racing on a new schema both compile, one wins.
  auto compiled = CompiledSchema::compile(schemaJson);
  if (!compiled) return compiled;
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.emplace(std::string(schemaJson), compiled.value());
  return compiled;
}

std::size_t SchemaCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace agent::bitrouter
