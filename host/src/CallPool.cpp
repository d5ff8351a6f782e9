#include "CallPool.hpp"

#include <utility>

namespace agent::host {

CallPool::CallPool(std::size_t maxThreads) : maxThreads_(maxThreads == 0 ? 1 : maxThreads) {}

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

void CallPool::submit(Job job) {
  std::unique_lock lock(mutex_);
  queue_.push_back(std::move(job));
  // A new thread only when none is idle: a burst of calls gets its threads at once, a steady
  // trickle reuses one.
  if (idle_ == 0 && threads_.size() < maxThreads_) {
    threads_.emplace_back([this] { work(); });
  } else {
    lock.unlock();
    wake_.notify_one();
  }
}

void CallPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (stopping_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job.run();
    lock.lock();
  }
}

}  // namespace agent::host
