// LoadRunner: drives N calls from C threads and times each one.
//
// Every thread first makes a few unmeasured warm-up calls (connections opened, buffers grown),
// then all threads start together and claim calls from a shared counter until N have been made,
// so exactly N calls are measured whatever C is. A call is whatever the caller passes: a useModel
// call for `agent-host bench`, one raw HTTP exchange for bench/http-floor. The CPU time is the
// process's (user + system, every thread) between the start and the last call.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace agent::bench {

// Defaults shared by `agent-host bench` and bench/http-floor, so that both make the same calls.
inline constexpr std::size_t kDefaultRequests = 1000;
inline constexpr std::size_t kDefaultWarmupPerThread = 5;
inline constexpr std::string_view kDefaultPrompt = "Say hello in one short sentence.";

struct LoadOptions {
  std::size_t requests = kDefaultRequests;  // measured calls in total
  std::size_t concurrency = 1;              // threads, each with one call in flight at a time
  // Unmeasured calls per thread before the clock starts.
  std::size_t warmupPerThread = kDefaultWarmupPerThread;
};

/// One call made by thread `worker` (0 <= worker < concurrency). True on success; on failure
/// it writes one line saying why into `error`.
using CallFunction = std::function<bool(std::size_t worker, std::string& error)>;

struct [[nodiscard]] LoadResult {
  std::vector<std::int64_t> latenciesNs;  // one per successful measured call, unsorted
  std::size_t ok = 0;
  std::size_t errors = 0;        // failed measured calls
  std::size_t warmupErrors = 0;  // failed warm-up calls (not in `errors`)
  std::string firstError;        // the first failure seen (warm-up included), empty when none
  std::chrono::nanoseconds wall{0};
  std::chrono::microseconds cpu{0};  // process CPU time while the measured calls ran
};

class LoadRunner {
 public:
  static LoadResult run(const LoadOptions& options, const CallFunction& call);
};

}  // namespace agent::bench
