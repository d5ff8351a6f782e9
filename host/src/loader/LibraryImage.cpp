#include "LibraryImage.hpp"

#include <dlfcn.h>

#include <cstring>

namespace agent::host {

LibraryImage::LibraryImage(void* handle) {
  link_map* map = nullptr;
  if (handle == nullptr || ::dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr) return;
  base_ = map->l_addr;
  name_ = map->l_name;
  ::dl_iterate_phdr(&LibraryImage::collect, this);
}

bool LibraryImage::contains(const void* address, std::size_t size, bool code) const noexcept {
  const auto begin = reinterpret_cast<std::uintptr_t>(address);
  for (const Segment& segment : segments_) {
    if (code && !segment.executable) continue;
    if (begin >= segment.begin && begin < segment.end && size <= segment.end - begin) return true;
  }
  return false;
}

int LibraryImage::collect(dl_phdr_info* info, std::size_t, void* data) {
  auto* self = static_cast<LibraryImage*>(data);
  if (info->dlpi_addr != self->base_ || info->dlpi_name == nullptr || self->name_ == nullptr ||
      std::strcmp(info->dlpi_name, self->name_) != 0) {
    return 0;
  }
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    if (header.p_type != PT_LOAD || header.p_memsz == 0) continue;
    const std::uintptr_t begin = info->dlpi_addr + header.p_vaddr;
    self->segments_.push_back({begin, begin + header.p_memsz, (header.p_flags & PF_X) != 0});
  }
  return 1;
}

}  // namespace agent::host
