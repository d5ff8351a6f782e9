#include "agent/host/CommandTool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "agent/support/Text.hpp"

extern char** environ;

namespace agent::host {
namespace {

constexpr std::size_t kMaxOutputBytes = 1 << 20;  // a tool's answer goes into the model's context
constexpr std::size_t kStderrTailBytes = 2000;

// Blocks SIGPIPE on this thread while a child's stdin is written: a command that exits without
// reading its input must not kill the agent. A SIGPIPE raised meanwhile is consumed on the way out.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipeOnly_);
    sigaddset(&pipeOnly_, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipeOnly_, &previous_);
  }
  ~SigpipeBlock() {
    const timespec zero{0, 0};
    while (::sigtimedwait(&pipeOnly_, nullptr, &zero) > 0) {
    }
    ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipeOnly_;
  sigset_t previous_;
};

// A pipe whose ends close themselves.
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
  static void close(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  ~Pipe() {
    close(read);
    close(write);
  }
};

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string lastLines(std::string_view text) {
  text = text::trim(text);
  if (text.size() > kStderrTailBytes) text = text.substr(text.size() - kStderrTailBytes);
  return text::oneLine(text);
}

class CommandRun {
 public:
  CommandRun(const std::string& command, const std::vector<std::string>& environment)
      : command_(command), environment_(environment) {}

  ToolOutcome run(std::string_view input, const ToolContext& context) {
    Pipe in, out, err;
    if (!in.open() || !out.open() || !err.open()) {
      return ToolOutcome::failure("could not create pipes for the tool command: " +
                                  std::string(std::strerror(errno)));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.read, 0);
    posix_spawn_file_actions_adddup2(&actions, out.write, 1);
    posix_spawn_file_actions_adddup2(&actions, err.write, 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setpgroup(&attributes, 0);  // its own group, so a timeout kills its children
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);

    std::vector<char*> argv{const_cast<char*>("/bin/sh"), const_cast<char*>("-c"),
                            const_cast<char*>(command_.c_str()), nullptr};
    std::vector<char*> envp;
    for (const std::string& entry : environment_)
      envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);

    pid_t pid = 0;
    const int spawned =
        ::posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0) {
      return ToolOutcome::failure("could not start the tool command: " +
                                  std::string(std::strerror(spawned)));
    }
    Pipe::close(in.read);
    Pipe::close(out.write);
    Pipe::close(err.write);
    ::fcntl(in.write, F_SETFL, O_NONBLOCK);

    const SigpipeBlock sigpipeBlock;
    const auto ended = pump(in, out, err, input, context);
    if (!ended) ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!ended) return ToolOutcome::failure(*stopReason_);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ToolOutcome::success(stdout_);
    const std::string how = WIFEXITED(status)
                                ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                : "was killed by signal " + std::to_string(WTERMSIG(status));
    const std::string detail = lastLines(stderr_);
    return ToolOutcome::failure("the tool command " + how + (detail.empty() ? "" : ": " + detail));
  }

 private:
  // Feeds stdin and drains stdout and stderr until both close; false when the deadline, a
  // cancel or an oversized answer stopped it (stopReason_ says which).
  bool pump(Pipe& in, Pipe& out, Pipe& err, std::string_view input, const ToolContext& context) {
    std::size_t written = 0;
    if (input.empty()) Pipe::close(in.write);
    std::array<char, 8192> buffer{};
    while (out.read >= 0 || err.read >= 0) {
      if (context.cancellation && context.cancellation->cancelled()) {
        stopReason_ = "the tool command was stopped: the call was cancelled";
        return false;
      }
      const auto left = context.deadline - std::chrono::steady_clock::now();
      const auto leftMs = std::chrono::duration_cast<std::chrono::milliseconds>(left).count();
      if (leftMs <= 0) {
        stopReason_ = "the tool command did not finish in time and was killed";
        return false;
      }
      std::array<pollfd, 3> fds{pollfd{out.read, POLLIN, 0}, pollfd{err.read, POLLIN, 0},
                                pollfd{in.write, POLLOUT, 0}};
      // Wake at least every 50 ms to notice a cancel.
      const int ready =
          ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long>(leftMs, 50)));
      if (ready < 0 && errno != EINTR) {
        stopReason_ = "the tool command's output could not be read";
        return false;
      }
      if (fds[2].revents != 0 && in.write >= 0) {
        const ssize_t n = ::write(in.write, input.data() + written, input.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        if (n < 0 && errno != EAGAIN && errno != EINTR) written = input.size();  // it closed stdin
        if (written >= input.size()) Pipe::close(in.write);
      }
      for (auto [index, fd, sink] :
           {std::tuple{0, &out.read, &stdout_}, std::tuple{1, &err.read, &stderr_}}) {
        if (fds[index].revents == 0 || *fd < 0) continue;
        const ssize_t n = ::read(*fd, buffer.data(), buffer.size());
        if (n > 0) {
          sink->append(buffer.data(), static_cast<std::size_t>(n));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
          Pipe::close(*fd);
        }
      }
      if (stdout_.size() > kMaxOutputBytes) {
        stopReason_ = "the tool command wrote more than " + std::to_string(kMaxOutputBytes) +
                      " bytes and was killed";
        return false;
      }
    }
    return true;
  }

  const std::string& command_;
  const std::vector<std::string>& environment_;
  std::string stdout_;
  std::string stderr_;
  std::optional<std::string> stopReason_;
};

}  // namespace

ToolFunction commandTool(std::string command, std::vector<std::string> environment) {
  return [command = std::move(command), environment = std::move(environment)](
             std::string_view arguments, const ToolContext& context) {
    return CommandRun(command, environment).run(arguments, context);
  };
}

std::vector<std::string> environmentWithoutSecrets(const std::vector<std::string>& secretNames) {
  std::vector<std::string> kept;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const std::string_view name = variable.substr(0, variable.find('='));
    const bool declared =
        std::find(secretNames.begin(), secretNames.end(), name) != secretNames.end();
    const std::string upper = text::toUpper(name);
    const bool looksSecret = upper.rfind("BITROUTER_", 0) == 0 || endsWith(upper, "_KEY") ||
                             endsWith(upper, "_TOKEN") || endsWith(upper, "_SECRET") ||
                             endsWith(upper, "_PASSWORD");
    if (!declared && !looksSecret) kept.emplace_back(variable);
  }
  return kept;
}

}  // namespace agent::host
