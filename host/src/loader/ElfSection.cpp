#include "ElfSection.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace agent::host {
namespace {

#if defined(__x86_64__)
constexpr Elf64_Half kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr Elf64_Half kHostMachine = EM_AARCH64;
#elif defined(__riscv)
constexpr Elf64_Half kHostMachine = EM_RISCV;
#else
#error "add this machine's ELF e_machine"
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned char kHostData = ELFDATA2LSB;
#else
constexpr unsigned char kHostData = ELFDATA2MSB;
#endif

// Reads from a descriptor it does not own.
class FileReader {
 public:
  explicit FileReader(int fd) : fd_(fd) {}

  std::uint64_t size() const noexcept {
    struct stat status {};
    return ::fstat(fd_, &status) == 0 && status.st_size > 0
               ? static_cast<std::uint64_t>(status.st_size)
               : 0;
  }

  /// Reads exactly `size` bytes at `offset`; false when the file is shorter or reading fails.
  bool read(std::uint64_t offset, void* out, std::size_t size) const noexcept {
    auto* bytes = static_cast<char*>(out);
    while (size > 0) {
      const ssize_t n = ::pread(fd_, bytes, size, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes += n;
      size -= static_cast<std::size_t>(n);
      offset += static_cast<std::uint64_t>(n);
    }
    return true;
  }

 private:
  int fd_;
};

ElfProblem notSharedLibrary(std::string why) {
  return {ElfProblem::Kind::NotSharedLibrary, "not a shared library (" + std::move(why) + ")"};
}

// True when [offset, offset + size) lies inside a file of `fileSize` bytes, without overflow.
bool fits(std::uint64_t offset, std::uint64_t size, std::uint64_t fileSize) {
  return offset <= fileSize && size <= fileSize - offset;
}

// The section headers and the section name table of a checked ELF shared library.
struct SectionTable {
  std::vector<Elf64_Shdr> sections;
  std::string names;

  std::string_view nameOf(const Elf64_Shdr& section) const {
    if (section.sh_name >= names.size()) return {};
    const char* name = names.c_str() + section.sh_name;
    return {name, ::strnlen(name, names.size() - section.sh_name)};
  }
};

Expected<SectionTable, ElfProblem> readSectionTable(const FileReader& in, std::uint64_t fileSize) {
  unsigned char ident[EI_NIDENT] = {};
  if (!in.read(0, ident, sizeof ident) || std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
    return notSharedLibrary("no ELF header");
  }
  if (ident[EI_CLASS] != ELFCLASS64 || ident[EI_DATA] != kHostData) {
    return ElfProblem{ElfProblem::Kind::OtherMachine,
                      "built for another machine (not a 64-bit library of this byte order)"};
  }
  Elf64_Ehdr header{};
  if (!in.read(0, &header, sizeof header)) return notSharedLibrary("truncated ELF header");
  if (header.e_machine != kHostMachine) {
    return ElfProblem{ElfProblem::Kind::OtherMachine, "built for another machine (ELF machine " +
                                                          std::to_string(header.e_machine) + ")"};
  }
  if (header.e_type != ET_DYN) {
    return notSharedLibrary("ELF type " + std::to_string(header.e_type));
  }
  if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shnum == 0 ||
      header.e_shstrndx >= header.e_shnum ||
      !fits(header.e_shoff, std::uint64_t{header.e_shnum} * sizeof(Elf64_Shdr), fileSize)) {
    return notSharedLibrary("truncated or corrupt section table");
  }

  SectionTable table;
  table.sections.resize(header.e_shnum);
  if (!in.read(header.e_shoff, table.sections.data(), table.sections.size() * sizeof(Elf64_Shdr))) {
    return notSharedLibrary("truncated section table");
  }
  const Elf64_Shdr& names = table.sections[header.e_shstrndx];
  if (names.sh_type != SHT_STRTAB || !fits(names.sh_offset, names.sh_size, fileSize) ||
      names.sh_size > (1u << 20)) {
    return notSharedLibrary("corrupt section name table");
  }
  table.names.assign(names.sh_size, '\0');
  if (!in.read(names.sh_offset, table.names.data(), table.names.size())) {
    return notSharedLibrary("truncated section name table");
  }
  return table;
}

}  // namespace

Expected<std::string, ElfProblem> readElfSection(int fd, std::string_view sectionName,
                                                 std::size_t maxSize) {
  const FileReader in(fd);
  const std::uint64_t fileSize = in.size();
  auto table = readSectionTable(in, fileSize);
  if (!table) return std::move(table).error();

  for (const Elf64_Shdr& section : table.value().sections) {
    if (table.value().nameOf(section) != sectionName) continue;
    if (section.sh_type == SHT_NOBITS || !fits(section.sh_offset, section.sh_size, fileSize)) {
      return notSharedLibrary("truncated section " + std::string(sectionName));
    }
    if (section.sh_size > maxSize) {
      return ElfProblem{ElfProblem::Kind::NotSharedLibrary,
                        "section " + std::string(sectionName) + " is " +
                            std::to_string(section.sh_size) + " bytes, more than the " +
                            std::to_string(maxSize) + " allowed"};
    }
    std::string bytes(section.sh_size, '\0');
    if (!in.read(section.sh_offset, bytes.data(), bytes.size())) {
      return notSharedLibrary("truncated section " + std::string(sectionName));
    }
    return bytes;
  }
  return ElfProblem{ElfProblem::Kind::NoSuchSection, "no section " + std::string(sectionName)};
}

Expected<ElfDependencies, ElfProblem> readElfDependencies(int fd) {
  const FileReader in(fd);
  const std::uint64_t fileSize = in.size();
  auto table = readSectionTable(in, fileSize);
  if (!table) return std::move(table).error();
  const auto& sections = table.value().sections;

  ElfDependencies out;
  for (const Elf64_Shdr& dynamic : sections) {
    if (dynamic.sh_type != SHT_DYNAMIC) continue;
    if (dynamic.sh_link >= sections.size()) return notSharedLibrary("corrupt dynamic section");
    const Elf64_Shdr& strings = sections[dynamic.sh_link];
    constexpr std::uint64_t kMaxSize = 1u << 20;
    if (!fits(dynamic.sh_offset, dynamic.sh_size, fileSize) ||
        !fits(strings.sh_offset, strings.sh_size, fileSize) || dynamic.sh_size > kMaxSize ||
        strings.sh_size > kMaxSize) {
      return notSharedLibrary("corrupt dynamic section");
    }
    std::vector<Elf64_Dyn> entries(dynamic.sh_size / sizeof(Elf64_Dyn));
    std::string text(strings.sh_size, '\0');
    if (!in.read(dynamic.sh_offset, entries.data(), entries.size() * sizeof(Elf64_Dyn)) ||
        !in.read(strings.sh_offset, text.data(), text.size())) {
      return notSharedLibrary("truncated dynamic section");
    }
    const auto stringAt = [&](std::uint64_t offset) -> std::string {
      if (offset >= text.size()) return {};
      return std::string(text.c_str() + offset,
                         ::strnlen(text.c_str() + offset, text.size() - offset));
    };
    std::string runpath;
    std::string rpath;
    for (const Elf64_Dyn& entry : entries) {
      if (entry.d_tag == DT_NULL) break;
      if (entry.d_tag == DT_NEEDED) out.needed.push_back(stringAt(entry.d_un.d_val));
      if (entry.d_tag == DT_RUNPATH) runpath = stringAt(entry.d_un.d_val);
      if (entry.d_tag == DT_RPATH) rpath = stringAt(entry.d_un.d_val);
    }
    // As the dynamic loader does: DT_RUNPATH, when present, hides DT_RPATH.
    const std::string& path = runpath.empty() ? rpath : runpath;
    std::size_t start = 0;
    while (start <= path.size() && !path.empty()) {
      const std::size_t end = std::min(path.find(':', start), path.size());
      if (end > start) out.searchPath.push_back(path.substr(start, end - start));
      start = end + 1;
    }
    break;
  }
  return out;
}

}  // namespace agent::host
