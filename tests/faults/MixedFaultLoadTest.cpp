// Many threads, many calls, a mix of wire faults: no crash, no hang past the deadline, no leak
// (the sanitizer runs check that at exit), and every call ends with a result or a clear error.
//
// FAULTS_THREADS (default 64) and FAULTS_CALLS (calls per thread, default 50) size the run, so
// the ThreadSanitizer pass can use smaller numbers. Scripts are consumed first come, first
// served, so a thread does not know which fault its own call met: only the invariants are checked.
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "FaultSupport.hpp"

namespace agent::faults {
namespace {

using standin::ResponseScript;

// One of each fault, and healthy replies in between; index with any integer.
ResponseScript faultFor(std::size_t index) {
  switch (index % 12) {
    case 0:
      return {.dropBeforeHeaders = true};
    case 1:
      return {.dropMidBody = true};
    case 2:
      return {.streamChunks = {"a", "b", "c"}, .cutAfterFrames = 2};
    case 3:
      return {.neverAnswer = true};
    case 4:
      return {.content = "trickled", .trickleHeaders = true, .trickleDelay = milliseconds(1)};
    case 5:
      return {.content = "bad \xff\xfe utf-8"};
    case 6:
      return {.streamChunks = std::vector<std::string>(300, "t"), .frameDelay = milliseconds(0)};
    case 7:
      return {.status = 503};
    case 8:
      return {.status = 429, .headers = {{"Retry-After", "0"}}};
    case 9:
      return {.body = std::string(20000, '[')};
    case 10:
      return {.errorAfterFrames = 1};
    default:
      return {};  // a healthy reply
  }
}

class MixedFaultLoadTest : public FaultTest {};

TEST_F(MixedFaultLoadTest, ManyThreadsManyCallsMixedFaults) {
  const auto threads = static_cast<std::size_t>(envNumber("FAULTS_THREADS", 64));
  const auto callsPerThread = static_cast<std::size_t>(envNumber("FAULTS_CALLS", 50));

  standin::StandinOptions options;
  options.maxThreads = static_cast<int>(threads * 2 + 16);  // never the bottleneck
  restartStandin(options);
  makeHost({{"BITROUTER_TIMEOUT_MS", "1500"}, {"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "1000"}});
  const milliseconds limit = deadline() + deadlineSlack();

  std::mutex mutex;
  std::vector<std::string> problems;
  std::map<std::string, std::size_t> outcomes;
  std::atomic<std::size_t> finished{0};
  const auto started = Clock::now();

  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = 0; i < callsPerThread; ++i) {
        const std::size_t n = t * callsPerThread + i;
        standin().script(faultFor(n * 7 + t));
        const bool stream = (n % 3) == 0;
        const TimedResult timed = call("call " + std::to_string(n), stream);
        std::string problem = cleanEndProblems(timed.result);
        if (timed.elapsed > limit) {
          problem += " took " + std::to_string(timed.elapsed.count()) + " ms";
        }
        const std::string outcome =
            timed.result.ok() ? "ok" : std::string(toString(timed.result.error().kind));
        std::lock_guard lock(mutex);
        ++outcomes[outcome];
        if (!problem.empty()) problems.push_back(describe(timed.result) + ": " + problem);
        finished.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (auto& worker : workers)
    worker.join();
  const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);

  EXPECT_EQ(finished.load(), threads * callsPerThread);
  std::string summary;
  for (const auto& [outcome, count] : outcomes) {
    summary += outcome + "=" + std::to_string(count) + " ";
  }
  RecordProperty("outcomes", summary);
  RecordProperty("elapsed_ms", static_cast<int>(elapsed.count()));
  std::printf("%zu x %zu calls in %lld ms: %s\n", threads, callsPerThread,
              static_cast<long long>(elapsed.count()), summary.c_str());
  EXPECT_GT(outcomes["ok"], 0u) << summary;
  EXPECT_TRUE(problems.empty()) << problems.size() << " calls misbehaved, first: "
                                << (problems.empty() ? "" : problems.front());
  EXPECT_FALSE(contains(logText(), kSecretKey)) << "the key is in the log";

  // Whatever the faults left behind (discarded connections, leftover scripts), the host still
  // serves.
  standin().clearScripts();
  const TimedResult healthy = call("after the storm");
  ASSERT_TRUE(healthy.result.ok()) << describe(healthy.result);
  const TimedResult healthyStream = call("after the storm", true);
  ASSERT_TRUE(healthyStream.result.ok()) << describe(healthyStream.result);
}

}  // namespace
}  // namespace agent::faults
