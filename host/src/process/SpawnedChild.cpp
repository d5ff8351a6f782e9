#include "process/SpawnedChild.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "process/ChildEnvironment.hpp"
#include "process/LiveGroups.hpp"
#include "process/OwnedGroups.hpp"
#include "process/StderrTail.hpp"

namespace agent::host::process {
namespace {

void closeFd(int& fd) noexcept {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// A pipe whose ends close themselves unless taken.
struct Pipe {
  int read = -1;
  int write = -1;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
  ~Pipe() {
    closeFd(read);
    closeFd(write);
  }
  static int take(int& fd) noexcept {
    const int taken = fd;
    fd = -1;
    return taken;
  }
};

std::string valueOf(const std::vector<std::string>& environment, std::string_view name) {
  for (const std::string& entry : environment) {
    if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
        entry[name.size()] == '=') {
      return entry.substr(name.size() + 1);
    }
  }
  return {};
}

// argv[0] as a path: as given when it holds a '/', else the first executable file of that name
// in the child's PATH (resolved here, before the spawn, where allocating is allowed).
std::optional<std::string> programPath(const std::string& program,
                                       const std::vector<std::string>& environment) {
  if (program.find('/') != std::string::npos) return program;
  std::string path = valueOf(environment, "PATH");
  if (path.empty()) path = "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  for (;;) {
    const auto colon = path.find(':', start);
    std::string directory = path.substr(start, colon - start);
    if (directory.empty()) directory = ".";
    const std::string candidate = directory + "/" + program;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (colon == std::string::npos) return std::nullopt;
    start = colon + 1;
  }
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& text : strings)
    out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

ProcessExit fromStatus(int status) {
  ProcessExit exit;
  if (WIFEXITED(status)) {
    exit.exited = true;
    exit.exitCode = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    exit.termSignal = WTERMSIG(status);
  }
  return exit;
}

class Spawned final : public ChildProcess {
 public:
  Spawned(pid_t pid, int stdinFd, int stdoutFd, int stderrFd, std::size_t stderrBytes,
          std::unique_ptr<LiveGroupSlot> slot, std::shared_ptr<OwnedGroups> owner)
      : pid_(pid),
        stdin_(stdinFd),
        stdout_(stdoutFd),
        stderr_(stderrFd, stderrBytes),
        slot_(std::move(slot)),
        owner_(std::move(owner)) {}

  ~Spawned() override {
    if (!exit_) stop(std::chrono::milliseconds(100));
    closeFd(stdin_);
    closeFd(stdout_);
  }

  int pid() const noexcept override { return pid_; }
  int stdinFd() const noexcept override { return stdin_; }
  int stdoutFd() const noexcept override { return stdout_; }
  void closeStdin() noexcept override { closeFd(stdin_); }

  std::string stderrTail(std::size_t maxLines) const noexcept override {
    try {
      return stderr_.lastLines(maxLines);
    } catch (...) {
      return {};
    }
  }

  std::optional<ProcessExit> exitStatus() noexcept override {
    reap(/*block=*/false);
    return exit_;
  }

  ProcessExit stop(std::chrono::milliseconds grace) noexcept override {
    closeStdin();
    if (waitFor(grace)) return *exit_;
    ::kill(-pid_, SIGTERM);
    if (waitFor(grace)) return *exit_;
    ::kill(-pid_, SIGKILL);
    reap(/*block=*/true);
    return *exit_;
  }

 private:
  bool waitFor(std::chrono::milliseconds grace) noexcept {
    const auto until = std::chrono::steady_clock::now() + grace;
    for (;;) {
      if (reap(/*block=*/false)) return true;
      if (std::chrono::steady_clock::now() >= until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  // True once the child has been reaped. The child is first waited for without being reaped, so
  // that its id cannot be reused while what is left of its group is killed and the records are
  // dropped; only then is it reaped.
  bool reap(bool block) noexcept {
    if (exit_) return true;
    siginfo_t info{};
    int waited = 0;
    do {
      waited = ::waitid(P_PID, static_cast<id_t>(pid_), &info,
                        WEXITED | WNOWAIT | (block ? 0 : WNOHANG));
    } while (waited != 0 && errno == EINTR);
    if (waited != 0) {
      // Someone else reaped it (SIGCHLD ignored by the application): the id may be reused now.
      forget();
      exit_ = ProcessExit{true, -1, 0};
      return true;
    }
    if (info.si_pid == 0) return false;  // still running
    ::kill(-pid_, SIGKILL);              // what it left behind in its group
    forget();
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exit_ = fromStatus(status);
    // What it wrote last is still in the pipe, or on its way from a group member being killed.
    stderr_.awaitEnd(std::chrono::milliseconds(200));
    return true;
  }

  void forget() noexcept {
    if (owner_) owner_->remove(pid_);
    slot_->release();
  }

  const pid_t pid_;
  int stdin_;
  int stdout_;
  StderrTail stderr_;
  std::unique_ptr<LiveGroupSlot> slot_;
  std::shared_ptr<OwnedGroups> owner_;
  std::optional<ProcessExit> exit_;
};

}  // namespace

StartResult spawnChild(const ProcessSpec& spec, std::shared_ptr<OwnedGroups> owner) {
  if (spec.argv.empty() || spec.argv.front().empty()) {
    return std::string("no program to start (empty argv)");
  }
  std::vector<std::string> environment = childEnvironment(spec.environment);
  const auto program = programPath(spec.argv.front(), environment);
  if (!program) return "'" + spec.argv.front() + "' was not found in PATH";
  std::vector<std::string> arguments = spec.argv;
  std::vector<char*> argv = pointers(arguments);
  std::vector<char*> envp = pointers(environment);

  auto slot = std::make_unique<LiveGroupSlot>();
  if (!slot->valid()) {
    return "the host already runs " + std::to_string(kMaxLiveGroups) + " child processes";
  }
  Pipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    return "could not create pipes for a child process: " + std::string(std::strerror(errno));
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write, 2);
  // Nothing beyond 0-2, whoever opened it and however: a pooled connection of a plugin, a file a
  // library opened without O_CLOEXEC.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  if (!spec.workingDirectory.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, spec.workingDirectory.c_str());
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setpgroup(&attributes,
                            0);  // a group of its own: it and its children end together
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);  // not the spawning thread's mask
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigdefault(&attributes, &all);  // not the host's ignored signals
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = 0;
  const int spawned =
      ::posix_spawn(&pid, program->c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return "could not start '" + spec.argv.front() + "': " + std::strerror(spawned);
  }
  slot->fill(pid);
  std::unique_ptr<ChildProcess> child =
      std::make_unique<Spawned>(pid, Pipe::take(in.write), Pipe::take(out.read),
                                Pipe::take(err.read), spec.stderrTailBytes, std::move(slot), owner);
  if (owner && !owner->add(pid)) {
    child.reset();  // the owner is shutting down: the child is stopped at once
    return std::string("the host is shutting down");
  }
  return child;
}

}  // namespace agent::host::process
