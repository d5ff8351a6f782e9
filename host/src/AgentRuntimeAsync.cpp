// AgentRuntime's asynchronous side: useModelAsync, the call pool, the tool pool, and shutdown.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "CallPool.hpp"
#include "CountSetting.hpp"
#include "InFlightAttempts.hpp"
#include "PendingCallState.hpp"
#include "ToolRunner.hpp"
#include "agent/host/AgentRuntime.hpp"
#include "agent/host/Logger.hpp"
#include "agent/host/Settings.hpp"
#include "agent/support/Text.hpp"

namespace agent::host {
namespace {

constexpr std::string_view kSource = "runtime";
constexpr std::size_t kDefaultMaxConcurrentCalls = 64;
constexpr std::size_t kDefaultMaxQueuedCalls = 1024;
constexpr std::size_t kDefaultMaxConcurrentTools = 16;
// Tool runs waiting for a thread: a model asks for a handful per step, so this is a backstop.
constexpr std::size_t kMaxQueuedToolRuns = 4096;

}  // namespace

AgentRuntime::~AgentRuntime() {
  std::unique_ptr<CallPool> pool;
  std::unique_ptr<CallPool> toolPool;
  {
    std::lock_guard lock(asyncMutex_);
    for (const auto& weak : asyncCalls_) {
      if (const auto state = weak.lock()) state->cancellation->cancel();
    }
    pool = std::move(pool_);
    toolPool = std::move(toolPool_);
  }
  pool.reset();  // abandons queued calls, joins the threads
  toolPool.reset();
}

CallPool& AgentRuntime::pool() const {
  if (!pool_) {
    pool_ = std::make_unique<CallPool>(
        countSetting(settings_, logger_, kSource, "AGENT_MAX_CONCURRENT_CALLS", 1, 4096,
                     kDefaultMaxConcurrentCalls),
        countSetting(settings_, logger_, kSource, "AGENT_MAX_QUEUED_CALLS", 0, 1000000,
                     kDefaultMaxQueuedCalls));
  }
  return *pool_;
}

CallPool& AgentRuntime::toolPool() const {
  std::lock_guard lock(asyncMutex_);
  if (!toolPool_) {
    toolPool_ = std::make_unique<CallPool>(
        countSetting(settings_, logger_, kSource, "AGENT_MAX_CONCURRENT_TOOLS", 1, 4096,
                     kDefaultMaxConcurrentTools),
        kMaxQueuedToolRuns);
  }
  return *toolPool_;
}

CallPool& ToolPoolAccess::of(const AgentRuntime& runtime) {
  return runtime.toolPool();
}

PendingCall AgentRuntime::useModelAsync(ModelType type, GenerateTextParams params,
                                        std::optional<std::string> provider) const {
  auto state = std::make_shared<PendingCall::State>();
  if (params.cancellation) {
    // The caller's token cancels this call through a callback of its own; the provider sees the
    // call's token only, so cancel() on this handle leaves other calls sharing the caller's token
    // alone.
    std::weak_ptr<PendingCall::State> weak = state;
    state->callerCallback = params.cancellation->onCancel([weak] {
      if (const auto pending = weak.lock()) {
        pending->complete(makeError(ErrorKind::Cancelled, "the call was cancelled by the caller"),
                          {});
        pending->cancellation->cancel();
      }
    });
    state->callerToken = std::move(params.cancellation);
  }
  params.cancellation = state->cancellation;

  CallPool::Job job;
  job.run = [this, state, type, params = std::move(params), provider = std::move(provider)]() {
    runAsync(type, params, provider, *state);
    state->unlink();
  };
  job.abandon = [state] {
    state->complete(
        makeError(ErrorKind::Cancelled, "the host shut down before the call could start"), {});
    state->unlink();
  };

  bool accepted = false;
  std::size_t maxQueued = 0;
  {
    std::lock_guard lock(asyncMutex_);
    std::erase_if(asyncCalls_, [](const auto& weak) { return weak.expired(); });
    accepted = pool().submit(std::move(job));
    maxQueued = pool().maxQueued();
    if (accepted) asyncCalls_.push_back(state);
  }
  if (!accepted) {
    state->complete(
        makeError(ErrorKind::Busy, "too many calls are waiting for a free call slot (" +
                                       std::to_string(maxQueued) +
                                       " queued, AGENT_MAX_QUEUED_CALLS); try again later or raise "
                                       "AGENT_MAX_QUEUED_CALLS or AGENT_MAX_CONCURRENT_CALLS"),
        {});
    state->unlink();
  }
  return PendingCall(state);
}

void AgentRuntime::runAsync(ModelType type, const GenerateTextParams& params,
                            const std::optional<std::string>& provider,
                            PendingCall::State& state) const {
  if (state.cancellation->cancelled()) return;  // cancel() already completed the handle
  if (params.deadline && std::chrono::steady_clock::now() >= *params.deadline) {
    state.complete(makeError(ErrorKind::Timeout,
                             "the call's deadline passed while it waited for a free call slot "
                             "(AGENT_MAX_CONCURRENT_CALLS); raise the setting or the deadline"),
                   {});
    return;
  }
  CallInfo info;
  ModelResult result = useModel(type, params, provider, &info);
  state.complete(std::move(result), std::move(info));
}

}  // namespace agent::host
