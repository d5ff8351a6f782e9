#include "AllocationCounter.hpp"

#include <cstddef>
#include <cstdlib>

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void __libc_free(void* pointer);
}

namespace {

// Plain thread-locals of the executable: local-exec TLS, so reading them never allocates.
thread_local bool tCounting = false;
thread_local std::uint64_t tAllocations = 0;
thread_local std::uint64_t tBytes = 0;

inline void note(std::size_t bytes) noexcept {
  if (tCounting) {
    ++tAllocations;
    tBytes += bytes;
  }
}

}  // namespace

extern "C" {

void* malloc(std::size_t size) noexcept {
  note(size);
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  note(count * size);
  return __libc_calloc(count, size);
}

void* realloc(void* pointer, std::size_t size) noexcept {
  note(size);
  return __libc_realloc(pointer, size);
}

void free(void* pointer) noexcept {
  __libc_free(pointer);
}

}  // extern "C"

namespace agent::bench {

void AllocationCounter::start() noexcept {
  tAllocations = 0;
  tBytes = 0;
  tCounting = true;
}

AllocationCount AllocationCounter::stop() noexcept {
  tCounting = false;
  return AllocationCount{tAllocations, tBytes};
}

AllocationCount AllocationCounter::current() noexcept {
  return AllocationCount{tAllocations, tBytes};
}

}  // namespace agent::bench
