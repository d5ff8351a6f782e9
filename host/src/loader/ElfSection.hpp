// ElfSection: reads the bytes of one named section, and the dependencies the dynamic section
// names, from an open ELF shared library file, without loading it.
//
// Every offset and size is checked against the file before it is used, so a truncated or
// garbage file is a clear problem, never a crash or a read past the end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "agent/support/Expected.hpp"

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

/// The section's bytes in the file open as `fd` (read with pread: the offset is untouched), or
/// why there are none. Sections larger than `maxSize` are a problem.
Expected<std::string, ElfProblem> readElfSection(int fd, std::string_view sectionName,
                                                 std::size_t maxSize);

/// What the dynamic section asks of the dynamic loader: DT_NEEDED names and the DT_RUNPATH (or
/// DT_RPATH) entries, unexpanded ("$ORIGIN/lib").
struct ElfDependencies {
  std::vector<std::string> needed;
  std::vector<std::string> searchPath;
};

/// The dependencies of the library open as `fd`; empty when it has no dynamic section.
Expected<ElfDependencies, ElfProblem> readElfDependencies(int fd);

}  // namespace agent::host
