// CallPool: the host-owned threads that run asynchronous model calls.
//
// Threads start on demand up to a maximum (AGENT_MAX_CONCURRENT_CALLS) and then stay for reuse;
// jobs beyond the maximum wait in a queue, first come first served. The destructor abandons the
// jobs still queued (each is told, so its caller sees Cancelled) and joins the threads, so no
// call outlives the runtime and the providers it uses.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace agent::host {

class CallPool {
 public:
  struct Job {
    std::function<void()> run;
    std::function<void()> abandon;  // called instead of run when the pool shuts down first
  };

  explicit CallPool(std::size_t maxThreads);
  ~CallPool();
  CallPool(const CallPool&) = delete;
  CallPool& operator=(const CallPool&) = delete;

  void submit(Job job);

  std::size_t maxThreads() const noexcept { return maxThreads_; }

 private:
  void work();

  const std::size_t maxThreads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace agent::host
