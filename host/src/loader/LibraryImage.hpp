// LibraryImage: the memory a loaded library occupies (its PT_LOAD segments).
//
// The entry and everything it points to must lie in here before the host reads or calls it, so
// an entry symbol of the wrong type (a function returning an int, a data object, a struct of
// garbage) is refused instead of crashing.
#pragma once

#include <link.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace agent::host {

class LibraryImage {
 public:
  /// `handle` is a dlopen handle; an unknown handle gives an image that holds nothing.
  explicit LibraryImage(void* handle);

  bool known() const noexcept { return !segments_.empty(); }

  /// True when [address, address + size) lies inside one segment (executable when `code`).
  bool contains(const void* address, std::size_t size, bool code) const noexcept;

  template <class T>
  bool holdsObject(const T* object) const noexcept {
    return reinterpret_cast<std::uintptr_t>(object) % alignof(T) == 0 &&
           contains(object, sizeof(T), false);
  }

  template <class Function>
  bool holdsCode(Function* function) const noexcept {
    return contains(reinterpret_cast<const void*>(function), 1, true);
  }

 private:
  struct Segment {
    std::uintptr_t begin;
    std::uintptr_t end;
    bool executable;
  };

  static int collect(dl_phdr_info* info, std::size_t, void* data);

  ElfW(Addr) base_ = 0;
  const char* name_ = nullptr;
  std::vector<Segment> segments_;
};

}  // namespace agent::host
