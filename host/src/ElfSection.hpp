// ElfSection: reads the bytes of one named section from an ELF shared library file, without
// loading it.
//
// Every offset and size is checked against the file before it is used, so a truncated or
// garbage file is a clear problem, never a crash or a read past the end.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>

namespace agent::host {

/// Why a section could not be read.
struct ElfProblem {
  enum class Kind {
    NotSharedLibrary,  // unreadable, not ELF, truncated, corrupt, or not a shared library
    OtherMachine,      // an ELF library for another architecture or word size
    NoSuchSection,
  };
  Kind kind;
  std::string message;  // one line
};

/// The section's bytes, or why there are none. Sections larger than `maxSize` are a problem.
std::variant<std::string, ElfProblem> readElfSection(const std::filesystem::path& file,
                                                     std::string_view sectionName,
                                                     std::size_t maxSize);

}  // namespace agent::host
