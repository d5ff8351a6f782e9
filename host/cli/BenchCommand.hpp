// BenchCommand: `agent-host bench`: N useModel calls from C threads through the selected
// provider, with latency percentiles, calls per second, CPU per call, peak RSS and the time the
// host took to discover, load and init its plugins. bench/run-bench.sh compares it with the raw
// HTTP floor (bench/http-floor); docs/performance.md has the figures.
#pragma once

#include <memory>

#include "CliSupport.hpp"

namespace agent::host::cli {

std::unique_ptr<Command> makeBenchCommand();

}  // namespace agent::host::cli
