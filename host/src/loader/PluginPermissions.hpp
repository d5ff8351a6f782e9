// PluginPermissions: refuses plugin files and directories another local user could write to.
//
// A plugin runs inside the agent, next to its API keys, so whoever can replace a plugin (or drop
// one into the directory) runs code as the agent. As OpenSSH's StrictModes does, the host refuses
// a directory or file that is writable by group or others, or owned by a user other than the
// one running the host or root. AGENT_PLUGINS_INSECURE=true turns the check off for development.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "agent/support/Expected.hpp"

namespace agent::host {

/// The setting that allows insecure plugin permissions.
inline constexpr const char* kInsecurePluginsSetting = "AGENT_PLUGINS_INSECURE";

/// Fails with why `path`, whose status is `status` (a plugin file's, from its open descriptor, or
/// the plugins directory's), is not safe to load from, with the command that fixes it.
Expected<Done, std::string> checkPermissions(const std::filesystem::path& path,
                                             const struct stat& status);

/// The same for a directory, by path (symbolic links followed); a directory that cannot be
/// examined passes (listing it reports the problem).
Expected<Done, std::string> checkDirectoryPermissions(const std::filesystem::path& directory);

}  // namespace agent::host
