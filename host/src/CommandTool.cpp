#include "agent/host/CommandTool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "agent/support/SigpipeBlock.hpp"
#include "agent/support/Text.hpp"

namespace agent::host {
namespace {

constexpr std::size_t kMaxOutputBytes = 1 << 20;  // a tool's answer goes into the model's context
constexpr std::size_t kStderrKeptBytes = 64 * 1024;
constexpr std::size_t kStderrQuotedBytes = 2000;  // the part of it an error message quotes
constexpr std::size_t kStderrQuotedLines = 20;

std::string quotedStderr(const ChildProcess& child) {
  const std::string tail = child.stderrTail(kStderrQuotedLines);
  std::string_view text = text::trim(tail);
  if (text.size() > kStderrQuotedBytes) text = text.substr(text.size() - kStderrQuotedBytes);
  return text::oneLine(text);
}

std::string withStderr(std::string message, const ChildProcess& child) {
  const std::string detail = quotedStderr(child);
  return detail.empty() ? message : message + ": " + detail;
}

class CommandRun {
 public:
  explicit CommandRun(ChildProcess& child) : child_(child) {}

  ToolOutcome run(std::string_view input, const ToolContext& context) {
    const SigpipeBlock sigpipeBlock;
    if (!pump(input, context) || !awaitExit(context)) {
      child_.stop(std::chrono::milliseconds(0));
      return ToolOutcome::failure(withStderr(*stopReason_, child_));
    }
    const ProcessExit exit = *child_.exitStatus();
    if (exit.exited && exit.exitCode == 0) return ToolOutcome::success(std::move(stdout_));
    const std::string how = exit.exited ? "exited with status " + std::to_string(exit.exitCode)
                                        : "was killed by signal " + std::to_string(exit.termSignal);
    return ToolOutcome::failure(withStderr("the tool command " + how, child_));
  }

 private:
  // Why the run must stop now, or nullopt.
  std::optional<std::string> interruption(const ToolContext& context) const {
    if (context.cancellation && context.cancellation->cancelled()) {
      return "the tool command was stopped: the call was cancelled";
    }
    if (std::chrono::steady_clock::now() >= context.deadline) {
      return "the tool command did not finish in time and was killed";
    }
    return std::nullopt;
  }

  int waitMs(const ToolContext& context) const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          context.deadline - std::chrono::steady_clock::now())
                          .count();
    return static_cast<int>(std::clamp<long long>(left, 0, 50));  // 50 ms: to notice a cancel
  }

  // Feeds stdin and drains stdout until stdout closes; false when the deadline, a cancel or an
  // oversized answer stopped it (stopReason_ says which).
  bool pump(std::string_view input, const ToolContext& context) {
    std::size_t written = 0;
    if (input.empty()) {
      child_.closeStdin();
    } else {
      ::fcntl(child_.stdinFd(), F_SETFL, O_NONBLOCK);
    }
    std::array<char, 16384> buffer{};
    for (;;) {
      if ((stopReason_ = interruption(context))) return false;
      const int in = child_.stdinFd();
      std::array<pollfd, 2> fds{pollfd{child_.stdoutFd(), POLLIN, 0}, pollfd{in, POLLOUT, 0}};
      if (::poll(fds.data(), in >= 0 ? 2 : 1, waitMs(context)) < 0 && errno != EINTR) {
        stopReason_ = "the tool command's output could not be read";
        return false;
      }
      if (in >= 0 && fds[1].revents != 0) {
        const ssize_t n = ::write(in, input.data() + written, input.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        if (n < 0 && errno != EAGAIN && errno != EINTR) written = input.size();  // it closed stdin
        if (written >= input.size()) child_.closeStdin();
      }
      if (fds[0].revents != 0) {
        const ssize_t n = ::read(child_.stdoutFd(), buffer.data(), buffer.size());
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
          child_.closeStdin();
          return true;
        }
        if (n > 0) stdout_.append(buffer.data(), static_cast<std::size_t>(n));
      }
      if (stdout_.size() > kMaxOutputBytes) {
        stopReason_ = "the tool command wrote more than " + std::to_string(kMaxOutputBytes) +
                      " bytes and was killed";
        return false;
      }
    }
  }

  // Stdout has closed; the command may still run (it closed stdout early).
  bool awaitExit(const ToolContext& context) {
    while (!child_.exitStatus()) {
      if ((stopReason_ = interruption(context))) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }

  ChildProcess& child_;
  std::string stdout_;
  std::optional<std::string> stopReason_;
};

}  // namespace

ToolFunction commandTool(std::string command, CommandToolOptions options) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", std::move(command)};
  spec.environment = std::move(options.environment);
  spec.stderrTailBytes = kStderrKeptBytes;
  ChildStarter start = options.start ? std::move(options.start) : ChildStarter(startChildProcess);
  return [spec = std::move(spec), start = std::move(start)](std::string_view arguments,
                                                            const ToolContext& context) {
    StartedChild started = start(spec);
    if (!started)
      return ToolOutcome::failure("could not start the tool command: " + started.error());
    return CommandRun(*started.value()).run(arguments, context);
  };
}

}  // namespace agent::host
