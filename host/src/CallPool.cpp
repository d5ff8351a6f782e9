#include "CallPool.hpp"

#include <utility>

namespace agent::host {

CallPool::CallPool(std::size_t maxThreads, std::size_t maxQueued)
    : maxThreads_(maxThreads == 0 ? 1 : maxThreads), maxQueued_(maxQueued) {}

CallPool::~CallPool() {
  std::deque<Job> abandoned;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    abandoned.swap(queue_);
  }
  wake_.notify_all();
  for (Job& job : abandoned) {
    if (job.abandon) job.abandon();
  }
  for (std::thread& thread : threads_)
    thread.join();
}

bool CallPool::submit(Job job) {
  std::unique_lock lock(mutex_);
  if (idle_ > 0) {
    queue_.push_back(std::move(job));
    --idle_;
    ++wakeups_;
    lock.unlock();
    wake_.notify_one();
  } else if (threads_.size() < maxThreads_) {
    queue_.push_back(std::move(job));
    threads_.emplace_back([this] { work(); });  // its first job is the one just queued
  } else {
    if (unassigned_ >= maxQueued_) return false;
    queue_.push_back(std::move(job));
    ++unassigned_;
  }
  return true;
}

void CallPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Every thread that gets here was handed a job (started for it, woken for it, or took a
    // waiting one below), so the queue is not empty unless the pool is stopping.
    if (stopping_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job.run();
    job = {};  // release what the job holds before this thread waits
    lock.lock();
    if (unassigned_ > 0) {
      --unassigned_;
      continue;
    }
    ++idle_;
    wake_.wait(lock, [&] { return stopping_ || wakeups_ > 0; });
    if (stopping_) return;
    --wakeups_;
  }
}

}  // namespace agent::host
