// PluginPermissions: refuses plugin files and directories another local user could write to.
//
// A plugin runs inside the agent, next to its API keys, so whoever can replace a plugin (or drop
// one into the directory) runs code as the agent. As OpenSSH's StrictModes does, the host refuses
// a directory or file that is writable by group or others, or owned by a user other than the
// one running the host or root. AGENT_PLUGINS_INSECURE=true turns the check off for development.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace agent::host {

/// The setting that allows insecure plugin permissions.
inline constexpr const char* kInsecurePluginsSetting = "AGENT_PLUGINS_INSECURE";

/// Why `path` (a plugin file or the plugins directory; symbolic links followed) is not safe to
/// load from, with the command that fixes it; nullopt when it is safe or cannot be examined (the
/// loader reports unreadable files itself).
std::optional<std::string> insecurePermissions(const std::filesystem::path& path);

}  // namespace agent::host
