// TemporaryProcess: a minimal HostServices::startProcess, only until the host's process module
// (one module for command tools and stdio servers) replaces it. posix_spawn, fds 0-2, the base
// environment plus the spec's, a process group of its own, stderr read into a bounded tail.
// It does not end children on signals of the CLI; the process module does.
#pragma once

#include <memory>
#include <string>

#include "agent/ChildProcess.hpp"
#include "agent/support/Expected.hpp"

namespace agent::host {

Expected<std::unique_ptr<ChildProcess>, std::string> startTemporaryProcess(const ProcessSpec& spec);

}  // namespace agent::host
