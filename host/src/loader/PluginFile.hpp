// PluginFile: a plugin file opened once. Every check (type, permissions, descriptor) reads this
// descriptor, and the dynamic loader loads the same open file through /proc/self/fd/N, so a file
// swapped, or a symbolic link planted, between the checks and the load cannot slip in.
//
// Opened with O_NOFOLLOW (a symbolic link named x.so is refused, never followed), O_NONBLOCK (a
// FIFO named x.so cannot block the scan) and O_CLOEXEC.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "agent/support/Expected.hpp"

namespace agent::host {

class PluginFile {
 public:
  PluginFile(int fd, const struct stat& status) noexcept : fd_(fd), status_(status) {}
  ~PluginFile();
  PluginFile(PluginFile&& other) noexcept;
  PluginFile& operator=(PluginFile&& other) noexcept;
  PluginFile(const PluginFile&) = delete;
  PluginFile& operator=(const PluginFile&) = delete;

  int fd() const noexcept { return fd_; }
  const struct stat& status() const noexcept { return status_; }

  /// The name the dynamic loader opens: "/proc/self/fd/N", this very file.
  std::string loadPath() const;

  /// Leaves the descriptor open for the life of the process (once the dynamic loader loaded this
  /// file). It remembers a library under the name it was loaded by, and plugins are never
  /// unloaded: were N reused, a later dlopen("/proc/self/fd/N") would be handed this library.
  void keepOpenForever() noexcept { fd_ = -1; }

 private:
  int fd_;
  struct stat status_;
};

/// Opens `file` as a plugin file: a readable regular file (not a link, directory, FIFO, ...).
Expected<PluginFile, std::string> openPluginFile(const std::filesystem::path& file);

}  // namespace agent::host
