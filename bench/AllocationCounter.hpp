// AllocationCounter: counts the heap allocations made by the calling thread.
//
// Linking AllocationCounter.cpp into an executable replaces malloc, calloc, realloc and free
// with thin wrappers around glibc's own (__libc_malloc, ...), so every allocation is seen: C++
// new, RapidJSON's CrtAllocator, Poco, and a dlopen'ed plugin alike. Only threads that called
// start() count, so a server running in the same process (the in-process stand-in) does not
// pollute the figures. Aligned allocations (posix_memalign, aligned_alloc) are not counted.
#pragma once

#include <cstdint>

namespace agent::bench {

struct AllocationCount {
  std::uint64_t allocations = 0;  // malloc, calloc and realloc calls
  std::uint64_t bytes = 0;        // bytes requested by them
};

class AllocationCounter {
 public:
  /// Starts counting on this thread (from zero).
  static void start() noexcept;
  /// Stops counting on this thread; returns what was counted since start().
  static AllocationCount stop() noexcept;
  /// What this thread has counted so far (counting goes on).
  static AllocationCount current() noexcept;
};

}  // namespace agent::bench
