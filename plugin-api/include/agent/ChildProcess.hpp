// ChildProcess: a program the host starts for a plugin (an MCP stdio server) or a tool.
//
// The host owns the machinery (one module for command tools and stdio servers): the child gets
// fds 0-2 and nothing else, a small base environment (PATH, HOME, USER, LOGNAME, SHELL, LANG,
// LC_*, TZ, TERM, TMPDIR) plus exactly what the spec adds, and a process group of its own, which
// the host ends when the object is destroyed, when the host shuts down, and on SIGINT, SIGTERM and
// SIGHUP of the CLI. The host reads the child's stderr in the background into a bounded tail.
#pragma once

#include "agent/detail/ApiVisible.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agent {

/// What to start.
struct ProcessSpec {
  /// argv[0] is the program, looked up in PATH when it holds no '/'. Never through a shell unless
  /// the caller asks for one ({"/bin/sh", "-c", ...}).
  std::vector<std::string> argv;
  /// Added to the base environment; an entry replaces a base variable of the same name.
  std::vector<std::pair<std::string, std::string>> environment;
  std::string workingDirectory;             // empty: the host's
  std::size_t stderrTailBytes = 64 * 1024;  // the most of stderr kept (its end)
};

/// How a child ended.
struct ProcessExit {
  bool exited = false;  // true: exitCode is set; false: killed by termSignal
  int exitCode = 0;
  int termSignal = 0;

  /// "exit status 3" or "killed by signal 9 (Killed)".
  std::string describe() const;
};

class AGENT_API_VISIBLE ChildProcess {
 public:
  virtual ~ChildProcess() = default;  // stops the child (as stop()) when it still runs

  virtual int pid() const noexcept = 0;
  /// The write end of the child's stdin (blocking, close-on-exec); -1 once closed.
  virtual int stdinFd() const noexcept = 0;
  /// The read end of the child's stdout (blocking, close-on-exec).
  virtual int stdoutFd() const noexcept = 0;
  virtual void closeStdin() noexcept = 0;
  /// The last lines of what the child wrote to stderr (at most `maxLines`), joined by "\n".
  virtual std::string stderrTail(std::size_t maxLines) const noexcept = 0;
  /// How it ended, or nullopt while it runs. Never blocks.
  virtual std::optional<ProcessExit> exitStatus() noexcept = 0;
  /// Ends the child: closes stdin, waits up to `grace` for it to leave, then SIGTERM to its group,
  /// `grace` again, then SIGKILL. Returns how it ended.
  virtual ProcessExit stop(std::chrono::milliseconds grace) noexcept = 0;
};

inline std::string ProcessExit::describe() const {
  if (exited) return "exit status " + std::to_string(exitCode);
  return "killed by signal " + std::to_string(termSignal);
}

}  // namespace agent
