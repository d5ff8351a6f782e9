#include "PluginPermissions.hpp"

#include <sys/stat.h>
#include <unistd.h>

namespace agent::host {

std::optional<std::string> insecurePermissions(const std::filesystem::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return std::nullopt;
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
  return std::nullopt;
}

}  // namespace agent::host
