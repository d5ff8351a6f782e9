// TestSupport: what the host tests share: the common test helpers (temporary directories,
// map-backed environments, running the real agent-host binary) and /proc/self/maps checks.
#pragma once

#include <filesystem>

#include "agent/test/ProcessRunner.hpp"
#include "agent/test/TempDir.hpp"
#include "agent/test/TestEnvironment.hpp"

namespace agent::host::test {

using agent::test::EnvMap;
using agent::test::mapEnvironment;
using agent::test::ProcessResult;
using agent::test::runProcess;
using agent::test::TempDir;
using agent::test::withPrompt;

/// True when `path` is mapped into this process (a loaded library shows up in /proc/self/maps).
bool isMapped(const std::filesystem::path& path);

}  // namespace agent::host::test
