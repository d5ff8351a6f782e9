// CallPool: the host-owned threads that run asynchronous model calls.
//
// Threads start on demand up to a maximum (AGENT_MAX_CONCURRENT_CALLS) and then stay for reuse;
// jobs beyond the maximum wait in a queue of bounded length (AGENT_MAX_QUEUED_CALLS), first come
// first served, and a job that finds the queue full is refused. The destructor abandons the jobs
// still queued (each is told, so its caller sees Cancelled) and joins the threads, so no call
// outlives the runtime and the providers it uses.
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

  CallPool(std::size_t maxThreads, std::size_t maxQueued);
  ~CallPool();
  CallPool(const CallPool&) = delete;
  CallPool& operator=(const CallPool&) = delete;

  /// Starts `job` on a free thread, or queues it; false (and `job` dropped) when every thread is
  /// busy and maxQueued() jobs already wait.
  [[nodiscard]] bool submit(Job job);

  std::size_t maxThreads() const noexcept { return maxThreads_; }
  std::size_t maxQueued() const noexcept { return maxQueued_; }

 private:
  void work();

  const std::size_t maxThreads_;
  const std::size_t maxQueued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;  // every job not yet taken by a thread, in submission order
  std::vector<std::thread> threads_;
  // A job is handed to a thread when it is submitted, not when that thread wakes: otherwise two
  // jobs submitted before an idle thread wakes would both count on it and run one after the other.
  std::size_t idle_ = 0;        // threads waiting that no job has been handed to yet
  std::size_t wakeups_ = 0;     // jobs handed to waiting threads that have not woken yet
  std::size_t unassigned_ = 0;  // queued jobs waiting for a thread to finish its current job
  bool stopping_ = false;
};

}  // namespace agent::host
