// TempDir: a fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in it
// on destruction, even when the test made entries unreadable or directories unlistable.
#pragma once

#include <filesystem>
#include <string>

namespace agent::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  /// Writes `content` to `name` inside the directory and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;
  /// Copies `file` into the directory as `name` (a real copy, so it can be altered).
  std::filesystem::path copy(const std::filesystem::path& file, const std::string& name) const;
  /// Puts the built plugin `file` into the directory as `name`, unaltered: a hard link (the same
  /// file, no copy of a large .so per test), or a copy across devices; never a symbolic link,
  /// which the loader refuses.
  std::filesystem::path addPlugin(const std::filesystem::path& file, const std::string& name) const;
  /// Empties the directory (the directory itself stays).
  void clear() const;

 private:
  std::filesystem::path path_;
};

}  // namespace agent::test
