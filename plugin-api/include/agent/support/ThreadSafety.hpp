// ThreadSafety: Clang's thread-safety annotations, so the compiler checks which mutex guards what.
//
// Under Clang with -Wthread-safety, reading a member marked AGENT_GUARDED_BY(mutex_) without
// holding mutex_ is a compile error; under GCC the macros expand to nothing. Use agent::Mutex and
// agent::MutexLock (annotated wrappers of std::mutex and std::lock_guard): libstdc++'s own types
// carry no annotations.
#pragma once

#include <mutex>

#if defined(__clang__)
#define AGENT_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define AGENT_THREAD_ANNOTATION(x)
#endif

#define AGENT_CAPABILITY(name) AGENT_THREAD_ANNOTATION(capability(name))
#define AGENT_SCOPED_CAPABILITY AGENT_THREAD_ANNOTATION(scoped_lockable)
#define AGENT_GUARDED_BY(m) AGENT_THREAD_ANNOTATION(guarded_by(m))
#define AGENT_PT_GUARDED_BY(m) AGENT_THREAD_ANNOTATION(pt_guarded_by(m))
#define AGENT_REQUIRES(...) AGENT_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define AGENT_EXCLUDES(...) AGENT_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define AGENT_ACQUIRE(...) AGENT_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define AGENT_RELEASE(...) AGENT_THREAD_ANNOTATION(release_capability(__VA_ARGS__))

namespace agent {

/// A std::mutex the analysis knows about.
class AGENT_CAPABILITY("mutex") Mutex {
 public:
  void lock() AGENT_ACQUIRE() { mutex_.lock(); }
  void unlock() AGENT_RELEASE() { mutex_.unlock(); }
  /// For std::condition_variable, which needs the std::mutex itself.
  std::mutex& native() noexcept { return mutex_; }

 private:
  std::mutex mutex_;
};

/// Holds a Mutex for the rest of the scope.
class AGENT_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mutex) AGENT_ACQUIRE(mutex) : mutex_(mutex) { mutex_.lock(); }
  ~MutexLock() AGENT_RELEASE() { mutex_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mutex_;
};

}  // namespace agent
