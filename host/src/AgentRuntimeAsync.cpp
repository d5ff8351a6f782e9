// AgentRuntime's asynchronous side: useModelAsync, the call pool, the tool pool, and shutdown.
#include <algorithm>
#include <string>
#include <utility>

#include "CallPool.hpp"
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
constexpr std::size_t kDefaultMaxConcurrentTools = 16;

// A pool size setting: a whole number from 1 to 4096, else `fallback`.
std::size_t poolSize(const Settings& settings, Logger& logger, const std::string& key,
                     std::size_t fallback) {
  const auto raw = settings.get(key);
  if (!raw || text::isBlank(*raw)) return fallback;
  const auto value = text::parseInt64(*raw);
  if (!value || *value < 1 || *value > 4096) {
    logger.log(LogLevel::Warn, kSource,
               "ignoring " + key + "='" + text::oneLine(*raw) +
                   "': expected a whole number from 1 to 4096; using " + std::to_string(fallback));
    return fallback;
  }
  return static_cast<std::size_t>(*value);
}

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
        poolSize(settings_, logger_, "AGENT_MAX_CONCURRENT_CALLS", kDefaultMaxConcurrentCalls));
  }
  return *pool_;
}

CallPool& AgentRuntime::toolPool() const {
  std::lock_guard lock(asyncMutex_);
  if (!toolPool_) {
    toolPool_ = std::make_unique<CallPool>(
        poolSize(settings_, logger_, "AGENT_MAX_CONCURRENT_TOOLS", kDefaultMaxConcurrentTools));
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
    // The caller's own token cancels the handle too.
    state->cancellation = params.cancellation;
    std::weak_ptr<PendingCall::State> weak = state;
    params.cancellation->onCancel([weak] {
      if (const auto pending = weak.lock()) {
        pending->complete(makeError(ErrorKind::Cancelled, "the call was cancelled by the caller"),
                          {});
      }
    });
  } else {
    params.cancellation = state->cancellation;
  }

  CallPool::Job job;
  job.run = [this, state, type, params = std::move(params), provider = std::move(provider)]() {
    if (state->cancellation->cancelled()) return;  // cancel() already completed the handle
    if (params.deadline && std::chrono::steady_clock::now() >= *params.deadline) {
      state->complete(makeError(ErrorKind::Timeout,
                                "the call's deadline passed while it waited for a free call slot "
                                "(AGENT_MAX_CONCURRENT_CALLS); raise the setting or the deadline"),
                      {});
      return;
    }
    CallInfo info;
    ModelResult result = useModel(type, params, provider, &info);
    state->complete(std::move(result), std::move(info));
  };
  job.abandon = [state] {
    state->complete(
        makeError(ErrorKind::Cancelled, "the host shut down before the call could start"), {});
  };

  {
    std::lock_guard lock(asyncMutex_);
    std::erase_if(asyncCalls_, [](const auto& weak) { return weak.expired(); });
    asyncCalls_.push_back(state);
    pool().submit(std::move(job));
  }
  return PendingCall(state);
}

}  // namespace agent::host
