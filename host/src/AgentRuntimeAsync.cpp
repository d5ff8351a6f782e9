// AgentRuntime's asynchronous side: useModelAsync, the call pool, and shutdown.
#include <algorithm>
#include <string>
#include <utility>

#include "CallPool.hpp"
#include "InFlightAttempts.hpp"
#include "PendingCallState.hpp"
#include "agent/host/AgentRuntime.hpp"
#include "agent/host/Logger.hpp"
#include "agent/host/Settings.hpp"
#include "agent/support/Text.hpp"

namespace agent::host {
namespace {

constexpr std::string_view kSource = "runtime";
constexpr std::size_t kDefaultMaxConcurrentCalls = 64;

std::size_t maxConcurrentCalls(const Settings& settings, Logger& logger) {
  const auto raw = settings.get("AGENT_MAX_CONCURRENT_CALLS");
  if (!raw || text::isBlank(*raw)) return kDefaultMaxConcurrentCalls;
  const auto value = text::parseInt64(*raw);
  if (!value || *value < 1 || *value > 4096) {
    logger.log(LogLevel::Warn, kSource,
               "ignoring AGENT_MAX_CONCURRENT_CALLS='" + text::oneLine(*raw) +
                   "': expected a whole number from 1 to 4096; using " +
                   std::to_string(kDefaultMaxConcurrentCalls));
    return kDefaultMaxConcurrentCalls;
  }
  return static_cast<std::size_t>(*value);
}

}  // namespace

AgentRuntime::~AgentRuntime() {
  std::unique_ptr<CallPool> pool;
  {
    std::lock_guard lock(asyncMutex_);
    for (const auto& weak : asyncCalls_) {
      if (const auto state = weak.lock()) state->cancellation->cancel();
    }
    pool = std::move(pool_);
  }
  pool.reset();  // abandons queued calls, joins the threads
}

CallPool& AgentRuntime::pool() const {
  if (!pool_) pool_ = std::make_unique<CallPool>(maxConcurrentCalls(settings_, logger_));
  return *pool_;
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
