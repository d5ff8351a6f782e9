#include "PluginInit.hpp"

#include <unistd.h>

#include <array>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

namespace agent::host {
namespace {

// Shared by the host and the init thread, which may outlive the wait.
struct InitState {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::optional<AgentPluginInstance> instance;
  std::string error;
  pid_t thread = 0;
};

}  // namespace

PluginInitOutcome runPluginInit(PluginCreateFunction create, const HostServices& services,
                                std::chrono::milliseconds timeout,
                                std::shared_ptr<const PluginIdentity> plugin) {
  auto state = std::make_shared<InitState>();
  std::thread worker;
  try {
    worker = std::thread([state, create, &services, plugin = std::move(plugin)] {
      {
        const std::lock_guard lock(state->mutex);
        state->thread = ::gettid();
      }
      const PluginCallScope scope(plugin.get());
      std::array<char, 512> error{};
      AgentPluginInstance instance{nullptr, nullptr, nullptr, nullptr};
      const bool created = create(&services, &instance, error.data(), error.size());
      error.back() = '\0';
      const std::lock_guard lock(state->mutex);
      if (created && instance.handle != nullptr) state->instance = instance;
      state->error = error.data();
      state->done = true;
      state->finished.notify_all();
    });
  } catch (const std::exception& e) {
    return {std::nullopt, std::string("cannot start the init thread: ") + e.what(), false, 0};
  }

  std::unique_lock lock(state->mutex);
  if (!state->finished.wait_for(lock, timeout, [&] { return state->done; })) {
    lock.unlock();
    worker.detach();  // knowingly leaked: see the header
    return {std::nullopt, {}, true, 0};
  }
  PluginInitOutcome outcome{state->instance, std::move(state->error), false, state->thread};
  lock.unlock();
  worker.join();
  return outcome;
}

}  // namespace agent::host
