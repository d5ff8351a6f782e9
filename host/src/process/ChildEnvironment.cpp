#include "process/ChildEnvironment.hpp"

#include <algorithm>
#include <array>

extern char** environ;

namespace agent::host::process {

bool isBaseVariable(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 9> kNames{
      "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "TZ", "TERM", "TMPDIR"};
  if (std::find(kNames.begin(), kNames.end(), name) != kNames.end()) return true;
  return name.size() > 3 && name.substr(0, 3) == "LC_";  // LC_ALL, LC_CTYPE, ...
}

std::vector<std::string> childEnvironment(
    const std::vector<std::pair<std::string, std::string>>& added, const char* const* from) {
  const auto isAdded = [&added](std::string_view name) {
    return std::any_of(added.begin(), added.end(),
                       [name](const auto& entry) { return entry.first == name; });
  };
  std::vector<std::string> entries;
  for (const char* const* entry = from; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const auto equals = variable.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view name = variable.substr(0, equals);
    if (isBaseVariable(name) && !isAdded(name)) entries.emplace_back(variable);
  }
  for (const auto& [name, value] : added) {
    // A later entry of the same name wins, as it would in a shell.
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [&name = name](const std::string& entry) {
                                   return entry.size() > name.size() &&
                                          entry.compare(0, name.size(), name) == 0 &&
                                          entry[name.size()] == '=';
                                 }),
                  entries.end());
    entries.push_back(name + "=" + value);
  }
  return entries;
}

std::vector<std::string> childEnvironment(
    const std::vector<std::pair<std::string, std::string>>& added) {
  return childEnvironment(added, environ);
}

}  // namespace agent::host::process
