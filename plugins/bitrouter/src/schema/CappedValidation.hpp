// CappedValidation: RapidJSON schema validation with the memory it may hold capped.
//
// RapidJSON's validator starts one validator per anyOf/allOf/oneOf branch for every value of the
// reply, and branches that all descend into the value multiply at each level of nesting: against
// {"anyOf":[{"items":{"$ref":"#"}},{"items":{"$ref":"#"}}]}, 22 nested arrays need 4 million
// validators, minutes of CPU and gigabytes. RapidJSON has no limit of its own, so the validation
// state comes from a CappedAllocator that throws once the live bytes pass the cap; the run is
// then abandoned whole: every block it holds is freed at once, and nothing half-built (RapidJSON
// fills some arrays after counting them) is ever destroyed.
#pragma once

#include <cstddef>
#include <new>

#include <rapidjson/reader.h>
#include <rapidjson/schema.h>

namespace agent::bitrouter {

/// A RapidJSON allocator (the Allocator concept) that keeps its blocks in a list, so that all of
/// them can be freed at once, and refuses to hold more than a cap.
class CappedAllocator {
 public:
  static const bool kNeedFree = true;

  /// Thrown by Malloc and Realloc past the cap.
  struct Exhausted {};

  CappedAllocator() noexcept : CappedAllocator(static_cast<std::size_t>(-1)) {}
  explicit CappedAllocator(std::size_t maxLiveBytes) noexcept;
  ~CappedAllocator();  // frees every block still held
  CappedAllocator(const CappedAllocator&) = delete;
  CappedAllocator& operator=(const CappedAllocator&) = delete;

  void* Malloc(std::size_t size);
  void* Realloc(void* block, std::size_t oldSize, std::size_t newSize);
  static void Free(void* block) noexcept;

  std::size_t liveBytes() const noexcept { return liveBytes_; }

 private:
  struct Header;

  Header* head_ = nullptr;
  std::size_t liveBytes_ = 0;
  std::size_t maxLiveBytes_;
};

using CappedValidator =
    rapidjson::GenericSchemaValidator<rapidjson::SchemaDocument,
                                      rapidjson::BaseReaderHandler<rapidjson::UTF8<>, void>,
                                      CappedAllocator>;

/// Runs `use(validator)` with a validator of `schema` whose state stays under `maxBytes`.
/// False when the cap was reached: `use` was cut short and its validator abandoned.
template <class Use>
bool validateWithinMemory(const rapidjson::SchemaDocument& schema, std::size_t maxBytes,
                          Use&& use) {
  CappedAllocator allocator(maxBytes);
  CappedValidator* validator = nullptr;
  try {
    validator = new (allocator.Malloc(sizeof(CappedValidator))) CappedValidator(schema, &allocator);
    use(*validator);
  } catch (const CappedAllocator::Exhausted&) {
    return false;  // ~CappedAllocator frees what the abandoned run held
  }
  validator->~CappedValidator();
  CappedAllocator::Free(validator);
  return true;
}

}  // namespace agent::bitrouter
