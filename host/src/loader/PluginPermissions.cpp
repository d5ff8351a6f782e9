#include "PluginPermissions.hpp"

#include <unistd.h>

namespace agent::host {

Expected<Done, std::string> checkPermissions(const std::filesystem::path& path,
                                             const struct stat& status) {
  const std::string name = path.string();
  const char* what = S_ISDIR(status.st_mode) ? "the plugins directory " : "";
  const std::string allow =
      " (or set " + std::string(kInsecurePluginsSetting) + "=true, for development only)";
  if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return "refused: " + std::string(what) + name +
           " is writable by group or others, so another local user could run code in the "
           "agent; fix: chmod go-w " +
           name + allow;
  }
  if (status.st_uid != 0 && status.st_uid != ::geteuid()) {
    return "refused: " + std::string(what) + name + " is owned by uid " +
           std::to_string(status.st_uid) +
           ", neither this user nor root, so that user could run code in the agent; fix: chown " +
           std::to_string(::geteuid()) + " " + name + allow;
  }
  return Done{};
}

Expected<Done, std::string> checkDirectoryPermissions(const std::filesystem::path& directory) {
  struct stat status {};
  if (::stat(directory.c_str(), &status) != 0) return Done{};
  return checkPermissions(directory, status);
}

}  // namespace agent::host
