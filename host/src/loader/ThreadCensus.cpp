#include "ThreadCensus.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iterator>
#include <string>
#include <system_error>

namespace agent::host {

std::set<pid_t> threadIds() {
  std::set<pid_t> ids;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/self/task", ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    pid_t id = 0;
    const auto [ptr, error] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (error == std::errc() && ptr == name.data() + name.size()) ids.insert(id);
  }
  return ids;
}

std::set<pid_t> newThreads(const std::set<pid_t>& before, const std::set<pid_t>& after) {
  std::set<pid_t> added;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::inserter(added, added.end()));
  return added;
}

}  // namespace agent::host
