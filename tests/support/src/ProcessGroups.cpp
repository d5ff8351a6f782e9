#include "agent/test/ProcessGroups.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace agent::test {
namespace {

// 'Z' for a zombie, '\0' when there is no such process.
char processState(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return '\0';
  const auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() ? '\0' : line[close + 2];
}

// Reaps this process's dead children that belonged to group `pgid` (orphans re-parented here).
void reapGroupZombies(pid_t pgid) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 2));
    char state = 0;
    pid_t parent = 0;
    pid_t group = 0;
    if (!(fields >> state >> parent >> group)) continue;
    if (group == pgid && parent == ::getpid() && state == 'Z') {
      ::waitpid(static_cast<pid_t>(std::stol(name)), nullptr, WNOHANG);
    }
  }
}

}  // namespace

void becomeSubreaper() {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

bool awaitGone(pid_t pid, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == pid) return true;
    if (reaped < 0 && errno == ECHILD) {
      const char state = processState(pid);
      if (state == '\0' || state == 'Z') return true;
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool groupGone(pid_t pgid) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (;;) {
    reapGroupZombies(pgid);
    if (::kill(-pgid, 0) != 0 && errno == ESRCH) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::vector<pid_t> awaitPids(const std::filesystem::path& file, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    std::ifstream in(file);
    std::string line;
    // The writer may be mid-line: only a whole line (with its newline) counts.
    if (std::getline(in, line) && !in.eof()) {
      std::istringstream words(line);
      std::vector<pid_t> pids;
      for (pid_t pid = 0; words >> pid;)
        pids.push_back(pid);
      return pids;
    }
    if (std::chrono::steady_clock::now() >= until) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void killLeftovers(const std::vector<pid_t>& pids) {
  for (const pid_t pid : pids) {
    if (pid <= 1) continue;
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
  for (const pid_t pid : pids) {
    if (pid > 1) awaitGone(pid, std::chrono::milliseconds(2000));
  }
}

}  // namespace agent::test
