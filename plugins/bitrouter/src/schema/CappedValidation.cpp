#include "schema/CappedValidation.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace agent::bitrouter {

// Sits in front of every block; 32 bytes keep the block itself 16-byte aligned.
struct alignas(16) CappedAllocator::Header {
  CappedAllocator* owner;
  Header* previous;
  Header* next;
  std::size_t size;
};

CappedAllocator::CappedAllocator(std::size_t maxLiveBytes) noexcept : maxLiveBytes_(maxLiveBytes) {}

CappedAllocator::~CappedAllocator() {
  while (head_ != nullptr) {
    Header* next = head_->next;
    std::free(head_);
    head_ = next;
  }
}

void* CappedAllocator::Malloc(std::size_t size) {
  if (size == 0) return nullptr;  // as RapidJSON's CrtAllocator
  if (size > maxLiveBytes_ - std::min(liveBytes_, maxLiveBytes_)) throw Exhausted{};
  auto* header = static_cast<Header*>(std::malloc(sizeof(Header) + size));
  if (header == nullptr) throw std::bad_alloc();
  *header = Header{this, nullptr, head_, size};
  if (head_ != nullptr) head_->previous = header;
  head_ = header;
  liveBytes_ += size;
  return header + 1;
}

void* CappedAllocator::Realloc(void* block, std::size_t oldSize, std::size_t newSize) {
  if (newSize == 0) {
    Free(block);
    return nullptr;
  }
  void* grown = Malloc(newSize);
  if (block != nullptr) {
    std::memcpy(grown, block, std::min(oldSize, newSize));
    Free(block);
  }
  return grown;
}

void CappedAllocator::Free(void* block) noexcept {
  if (block == nullptr) return;
  Header* header = static_cast<Header*>(block) - 1;
  CappedAllocator& owner = *header->owner;
  if (header->previous != nullptr) header->previous->next = header->next;
  if (header->next != nullptr) header->next->previous = header->previous;
  if (owner.head_ == header) owner.head_ = header->next;
  owner.liveBytes_ -= header->size;
  std::free(header);
}

}  // namespace agent::bitrouter
