// ChildEnvironment: the environment a child process gets, built by allow-list.
//
// A child never sees the agent's environment as a whole: API keys, database URLs and webhook
// addresses live there under names no rule can guess. It gets a small base the host takes from its
// own environment (PATH, HOME, USER, LOGNAME, SHELL, LANG, LC_*, TZ, TERM, TMPDIR) plus exactly
// what the caller adds on purpose.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agent::host::process {

/// True when `name` belongs to the base every child gets.
bool isBaseVariable(std::string_view name) noexcept;

/// "NAME=value" entries: the base variables of `from` (a null-terminated environ-style array),
/// then `added`, an added entry replacing a base one of the same name.
std::vector<std::string> childEnvironment(
    const std::vector<std::pair<std::string, std::string>>& added, const char* const* from);

/// As above, from this process's environment.
std::vector<std::string> childEnvironment(
    const std::vector<std::pair<std::string, std::string>>& added);

}  // namespace agent::host::process
