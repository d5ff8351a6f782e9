#include "agent/test/ProcessRunner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>

extern char** environ;

namespace agent::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kLimit{60000};

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& text : strings)
    out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

StartedProcess startProcess(const std::string& executable, const std::vector<std::string>& args,
                            const EnvMap& env, const std::string& input) {
  int inPipe[2], outPipe[2], errPipe[2];
  if (::pipe2(inPipe, O_CLOEXEC) != 0 || ::pipe2(outPipe, O_CLOEXEC) != 0 ||
      ::pipe2(errPipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);

  std::vector<std::string> argStrings{executable};
  argStrings.insert(argStrings.end(), args.begin(), args.end());
  // Sanitizer options travel along, so a sanitized child reports like the test process does.
  std::vector<std::string> envStrings{"PATH=/usr/bin:/bin"};
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    if (variable.find("SAN_OPTIONS=") != std::string_view::npos) envStrings.emplace_back(variable);
  }
  for (const auto& [key, value] : env)
    envStrings.push_back(key + "=" + value);
  std::vector<char*> argv = pointers(argStrings);
  std::vector<char*> envp = pointers(envStrings);

  const auto started = Clock::now();
  pid_t pid = 0;
  const int spawned =
      ::posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(inPipe[0]);
  ::close(outPipe[1]);
  ::close(errPipe[1]);
  if (spawned != 0) {
    ::close(inPipe[1]);
    ::close(outPipe[0]);
    ::close(errPipe[0]);
    throw std::runtime_error("posix_spawn " + executable + ": " + std::strerror(spawned));
  }

  StartedProcess process;
  process.pid = pid;
  process.inFd = inPipe[1];
  process.outFd = outPipe[0];
  process.errFd = errPipe[0];
  process.input = input;
  process.started = started;
  return process;
}

ProcessResult finishProcess(StartedProcess& process) {
  // Feed stdin and drain both outputs together, so neither side can block the other; a child that
  // outlives the limit is killed (the test then fails on its exit code instead of hanging).
  const pid_t pid = process.pid;
  const auto started = process.started;
  const std::string& input = process.input;
  ProcessResult result;
  std::size_t written = 0;
  int inFd = process.inFd;
  if (input.empty()) {
    ::close(inFd);
    inFd = -1;
  } else {
    ::fcntl(inFd, F_SETFL, O_NONBLOCK);
  }
  int openOutputs = 2;
  bool killed = false;
  pollfd fds[3] = {{process.outFd, POLLIN, 0}, {process.errFd, POLLIN, 0}, {inFd, POLLOUT, 0}};
  while (openOutputs > 0 || fds[2].fd >= 0) {
    const auto left = kLimit - std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    if (left.count() <= 0 && !killed) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    if (::poll(fds, 3, killed ? 1000 : static_cast<int>(left.count())) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[65536];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --openOutputs;
      }
    }
    if (fds[2].fd >= 0 && (fds[2].revents != 0 || killed)) {
      const ssize_t n =
          killed ? -1 : ::write(fds[2].fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == input.size()) {
        ::close(fds[2].fd);
        fds[2].fd = -1;
      }
    }
  }
  for (const auto& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  result.maxRssKb = usage.ru_maxrss;
  result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  if (WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exitCode = 128 + WTERMSIG(status);
  return result;
}

ProcessResult runProcess(const std::string& executable, const std::vector<std::string>& args,
                         const EnvMap& env, const std::string& input) {
  StartedProcess process = startProcess(executable, args, env, input);
  return finishProcess(process);
}

}  // namespace agent::test
