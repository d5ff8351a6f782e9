#include "LoadRunner.hpp"

#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <thread>

#include "ProcessUsage.hpp"

namespace agent::bench {
namespace {

using Clock = std::chrono::steady_clock;

// What one thread measured; merged after the threads are joined (no sharing while running).
struct WorkerResult {
  std::vector<std::int64_t> latenciesNs;
  std::size_t errors = 0;
  std::size_t warmupErrors = 0;
};

}  // namespace

LoadResult LoadRunner::run(const LoadOptions& options, const CallFunction& call) {
  const std::size_t threads = std::max<std::size_t>(options.concurrency, 1);
  std::vector<WorkerResult> results(threads);
  std::atomic<std::size_t> next{0};
  std::latch ready(static_cast<std::ptrdiff_t>(threads));
  std::latch go(1);
  std::mutex errorMutex;
  std::string firstError;

  const auto noteError = [&](const std::string& error) {
    std::lock_guard lock(errorMutex);
    if (firstError.empty()) firstError = error.empty() ? "the call failed" : error;
  };

  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (std::size_t worker = 0; worker < threads; ++worker) {
    workers.emplace_back([&, worker] {
      WorkerResult& mine = results[worker];
      mine.latenciesNs.reserve(options.requests / threads + 1);
      std::string error;
      for (std::size_t i = 0; i < options.warmupPerThread; ++i) {
        error.clear();
        if (!call(worker, error)) {
          ++mine.warmupErrors;
          noteError(error);
        }
      }
      ready.count_down();
      go.wait();
      while (next.fetch_add(1, std::memory_order_relaxed) < options.requests) {
        error.clear();
        const Clock::time_point start = Clock::now();
        const bool ok = call(worker, error);
        const Clock::time_point end = Clock::now();
        if (ok) {
          mine.latenciesNs.push_back(
              std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
        } else {
          ++mine.errors;
          noteError(error);
        }
      }
    });
  }

  ready.wait();  // every thread has warmed up
  const ProcessUsage before = ProcessUsage::now();
  const Clock::time_point start = Clock::now();
  go.count_down();
  for (auto& worker : workers)
    worker.join();
  const Clock::time_point end = Clock::now();
  const ProcessUsage after = ProcessUsage::now();

  LoadResult result;
  result.wall = end - start;
  result.cpu = after.cpu() - before.cpu();
  result.firstError = std::move(firstError);
  result.latenciesNs.reserve(options.requests);
  for (auto& worker : results) {
    result.errors += worker.errors;
    result.warmupErrors += worker.warmupErrors;
    result.latenciesNs.insert(result.latenciesNs.end(), worker.latenciesNs.begin(),
                              worker.latenciesNs.end());
  }
  result.ok = result.latenciesNs.size();
  return result;
}

}  // namespace agent::bench
