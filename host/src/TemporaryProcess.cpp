#include "TemporaryProcess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace agent::host {
namespace {

bool inBaseEnvironment(std::string_view name) {
  for (std::string_view kept :
       {"PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "TZ", "TERM", "TMPDIR"}) {
    if (name == kept) return true;
  }
  return name.rfind("LC_", 0) == 0;
}

std::vector<std::string> childEnvironment(const ProcessSpec& spec) {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view name = text.substr(0, equals);
    if (!inBaseEnvironment(name)) continue;
    bool replaced = false;
    for (const auto& [key, value] : spec.environment)
      replaced = replaced || key == name;
    if (!replaced) entries.emplace_back(text);
  }
  for (const auto& [key, value] : spec.environment)
    entries.push_back(key + "=" + value);
  return entries;
}

class SpawnedProcess final : public ChildProcess {
 public:
  SpawnedProcess(pid_t pid, int in, int out, int err, std::size_t tailBytes)
      : pid_(pid), in_(in), out_(out), err_(err), tailBytes_(tailBytes) {
    reader_ = std::thread([this] { readStderr(); });
  }

  ~SpawnedProcess() override {
    if (!exitStatus()) stop(std::chrono::milliseconds(1000));
    if (reader_.joinable()) reader_.join();
    closeStdin();
    ::close(out_);
    ::close(err_);
  }

  int pid() const noexcept override { return pid_; }
  int stdinFd() const noexcept override {
    std::lock_guard lock(mutex_);
    return in_;
  }
  int stdoutFd() const noexcept override { return out_; }
  void closeStdin() noexcept override {
    std::lock_guard lock(mutex_);
    if (in_ >= 0) ::close(in_);
    in_ = -1;
  }

  std::string stderrTail(std::size_t maxLines) const noexcept override {
    std::lock_guard lock(mutex_);
    std::string_view text(tail_);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.remove_suffix(1);
    std::size_t start = text.size();
    for (std::size_t lines = 0; lines < maxLines && start > 0; ++lines) {
      const auto newline = text.rfind('\n', start - 1);
      start = newline == std::string_view::npos ? 0 : newline;
    }
    if (start < text.size() && text[start] == '\n') ++start;
    return std::string(text.substr(start));
  }

  std::optional<ProcessExit> exitStatus() noexcept override {
    std::lock_guard lock(mutex_);
    if (exit_) return exit_;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) exit_ = decode(status);
    return exit_;
  }

  ProcessExit stop(std::chrono::milliseconds grace) noexcept override {
    closeStdin();
    if (waitFor(grace)) return *exit_;
    ::kill(-pid_, SIGTERM);
    if (waitFor(grace)) return *exit_;
    ::kill(-pid_, SIGKILL);
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) {
      std::lock_guard lock(mutex_);
      exit_ = decode(status);
    }
    std::lock_guard lock(mutex_);
    if (!exit_) exit_ = ProcessExit{false, 0, SIGKILL};
    return *exit_;
  }

 private:
  static ProcessExit decode(int status) {
    if (WIFEXITED(status)) return ProcessExit{true, WEXITSTATUS(status), 0};
    return ProcessExit{false, 0, WIFSIGNALED(status) ? WTERMSIG(status) : 0};
  }

  bool waitFor(std::chrono::milliseconds grace) {
    const auto until = std::chrono::steady_clock::now() + grace;
    while (true) {
      if (exitStatus()) return true;
      if (std::chrono::steady_clock::now() >= until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void readStderr() {
    char buffer[4096];
    while (true) {
      const ssize_t n = ::read(err_, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      std::lock_guard lock(mutex_);
      tail_.append(buffer, static_cast<std::size_t>(n));
      if (tail_.size() > tailBytes_) tail_.erase(0, tail_.size() - tailBytes_);
    }
  }

  const pid_t pid_;
  mutable std::mutex mutex_;
  int in_;
  const int out_;
  const int err_;
  const std::size_t tailBytes_;
  std::string tail_;
  std::optional<ProcessExit> exit_;
  std::thread reader_;
};

}  // namespace

Expected<std::unique_ptr<ChildProcess>, std::string> startTemporaryProcess(
    const ProcessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) return std::string("cannot start: no program");
  const std::string& program = spec.argv[0];
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return "cannot start " + program + ": " + std::strerror(errno);
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]);
    return "cannot start " + program + ": " + std::strerror(errno);
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
    return "cannot start " + program + ": " + std::strerror(errno);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  if (!spec.workingDirectory.empty())
    posix_spawn_file_actions_addchdir_np(&actions, spec.workingDirectory.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv;
  for (const std::string& arg : spec.argv)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const auto environment = childEnvironment(spec);
  std::vector<char*> envp;
  for (const std::string& entry : environment)
    envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int failed =
      program.find('/') == std::string::npos
          ? posix_spawnp(&pid, program.c_str(), &actions, &attributes, argv.data(), envp.data())
          : posix_spawn(&pid, program.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (failed != 0) {
    ::close(in[1]), ::close(out[0]), ::close(err[0]);
    return "cannot start " + program + ": " + std::strerror(failed);
  }
  return std::unique_ptr<ChildProcess>(
      std::make_unique<SpawnedProcess>(pid, in[1], out[0], err[0], spec.stderrTailBytes));
}

}  // namespace agent::host
