// ProcessRunner: runs a real executable (usually agent-host) as a child process and collects its
// exit code and output, so CLI tests see exactly what a user would.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "agent/test/TestEnvironment.hpp"

namespace agent::test {

struct ProcessResult {
  int exitCode = -1;  // 128 + signal when it died of a signal
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
  long maxRssKb = 0;  // the child's peak resident size
};

/// A child started by startProcess, until finishProcess collects it.
struct StartedProcess {
  pid_t pid = -1;
  int inFd = -1;
  int outFd = -1;
  int errFd = -1;
  std::string input;
  std::chrono::steady_clock::time_point started;
};

/// Starts `executable` as runProcess does, without waiting: the test can signal it meanwhile.
StartedProcess startProcess(const std::string& executable, const std::vector<std::string>& args,
                            const EnvMap& env, const std::string& input = "");

/// Feeds the rest of the input, collects the output until both streams close, and reaps it
/// (killed past a minute).
ProcessResult finishProcess(StartedProcess& process);

/// Runs `executable` with `args`, exactly the environment `env` (plus PATH and this process's
/// sanitizer options), and `input` on stdin. A child still running after a minute is killed, so a
/// hang fails the test instead of stalling the suite.
ProcessResult runProcess(const std::string& executable, const std::vector<std::string>& args,
                         const EnvMap& env, const std::string& input = "");

}  // namespace agent::test
