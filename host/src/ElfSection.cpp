#include "ElfSection.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
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

// Closes the descriptor on every path.
class ReadOnlyFile {
 public:
  explicit ReadOnlyFile(const std::filesystem::path& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~ReadOnlyFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;

  bool open() const noexcept { return fd_ >= 0; }

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

}  // namespace

std::variant<std::string, ElfProblem> readElfSection(const std::filesystem::path& file,
                                                     std::string_view sectionName,
                                                     std::size_t maxSize) {
  const ReadOnlyFile in(file);
  if (!in.open()) return notSharedLibrary(std::string("cannot open: ") + std::strerror(errno));
  const std::uint64_t fileSize = in.size();

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

  std::vector<Elf64_Shdr> sections(header.e_shnum);
  if (!in.read(header.e_shoff, sections.data(), sections.size() * sizeof(Elf64_Shdr))) {
    return notSharedLibrary("truncated section table");
  }
  const Elf64_Shdr& names = sections[header.e_shstrndx];
  if (names.sh_type != SHT_STRTAB || !fits(names.sh_offset, names.sh_size, fileSize) ||
      names.sh_size > (1u << 20)) {
    return notSharedLibrary("corrupt section name table");
  }
  std::string nameTable(names.sh_size, '\0');
  if (!in.read(names.sh_offset, nameTable.data(), nameTable.size())) {
    return notSharedLibrary("truncated section name table");
  }

  for (const Elf64_Shdr& section : sections) {
    if (section.sh_name >= nameTable.size()) continue;
    const char* name = nameTable.c_str() + section.sh_name;
    if (sectionName !=
        std::string_view(name, ::strnlen(name, nameTable.size() - section.sh_name))) {
      continue;
    }
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

}  // namespace agent::host
