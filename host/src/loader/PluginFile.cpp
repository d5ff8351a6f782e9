#include "PluginFile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace agent::host {

PluginFile::~PluginFile() {
  if (fd_ >= 0) ::close(fd_);
}

PluginFile::PluginFile(PluginFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), status_(other.status_) {}

PluginFile& PluginFile::operator=(PluginFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    status_ = other.status_;
  }
  return *this;
}

std::string PluginFile::loadPath() const {
  return "/proc/self/fd/" + std::to_string(fd_);
}

Expected<PluginFile, std::string> openPluginFile(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) {
      return std::string(
          "is a symbolic link: plugins load from regular files only, symbolic links are not "
          "followed (install the library itself in the plugins directory)");
    }
    return std::string("cannot open: ") + std::strerror(errno);
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    const int error = errno;
    ::close(fd);
    return std::string("cannot stat: ") + std::strerror(error);
  }
  PluginFile opened(fd, status);
  if (S_ISDIR(status.st_mode)) return std::string("is a directory, not a library");
  if (!S_ISREG(status.st_mode)) return std::string("not a regular file");
  return opened;
}

}  // namespace agent::host
