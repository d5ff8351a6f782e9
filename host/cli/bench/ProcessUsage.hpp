// ProcessUsage: the process's own CPU time and peak resident set, read from getrusage.
//
// Both `agent-host bench` and the bench/http-floor baseline report these, so they live in one
// place. CPU time covers every thread of this process only: a server in another process (the
// stand-in, as the bench script runs it) is not counted.
#pragma once

#include <chrono>
#include <cstdint>

namespace agent::bench {

struct ProcessUsage {
  std::chrono::microseconds userCpu{0};
  std::chrono::microseconds systemCpu{0};
  std::int64_t peakRssKb = 0;  // ru_maxrss: the high-water mark since the process started

  /// A snapshot of this process, now.
  static ProcessUsage now() noexcept;

  std::chrono::microseconds cpu() const noexcept { return userCpu + systemCpu; }
};

}  // namespace agent::bench
