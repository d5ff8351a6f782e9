// ProcessRunner: runs a real executable (usually agent-host) as a child process and collects its
// exit code and output, so CLI tests see exactly what a user would.
#pragma once

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
};

/// Runs `executable` with `args`, exactly the environment `env` (plus PATH and this process's
/// sanitizer options), and `input` on stdin. A child still running after a minute is killed, so a
/// hang fails the test instead of stalling the suite.
ProcessResult runProcess(const std::string& executable, const std::vector<std::string>& args,
                         const EnvMap& env, const std::string& input = "");

}  // namespace agent::test
