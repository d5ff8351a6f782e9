// useModelAsync: handles, cancel, the pool's limit and queue, deadlines and shutdown.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <sstream>
#include <thread>
#include <vector>

#include "agent/host/AgentRuntime.hpp"
#include "agent/host/Logger.hpp"
#include "agent/host/ModelRegistry.hpp"
#include "agent/host/Settings.hpp"
#include "support/FakeProvider.hpp"
#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using namespace std::chrono_literals;
using test::FakeProvider;

// Blocks until the call is cancelled (or 30 s pass), as a provider holding a slow request would.
ModelResult waitForCancel(ModelType, const GenerateTextParams& params) {
  std::promise<void> cancelled;
  auto future = cancelled.get_future();
  const auto id = params.cancellation->onCancel([&] { cancelled.set_value(); });
  const bool stopped = future.wait_for(30s) == std::future_status::ready;
  params.cancellation->remove(id);
  if (stopped) return makeError(ErrorKind::Cancelled, "provider saw the cancel");
  ModelOutput late;
  late.text = "too late";
  late.finishReason = "stop";
  late.model = "m";
  return late;
}

class AsyncCallTest : public ::testing::Test {
 protected:
  void start(test::EnvMap env = {}) {
    settings_ = std::make_unique<Settings>(Character{}, test::mapEnvironment(env));
    runtime_ = std::make_unique<AgentRuntime>(*settings_, registry_, logger_);
  }
  void SetUp() override {
    registry_.registerModel(ModelType::TextSmall, provider_, "fake", 0);
    start();
  }

  std::ostringstream log_;
  Logger logger_{log_, LogLevel::Debug};
  ModelRegistry registry_;
  std::shared_ptr<FakeProvider> provider_ = std::make_shared<FakeProvider>("fake");
  std::unique_ptr<Settings> settings_;
  std::unique_ptr<AgentRuntime> runtime_;
};

TEST_F(AsyncCallTest, ReturnsTheResultThroughTheHandle) {
  GenerateTextParams params;
  params.prompt = "hi";
  PendingCall call = runtime_->useModelAsync(ModelType::TextSmall, params);
  ASSERT_TRUE(call.waitFor(5s));
  ASSERT_TRUE(call.result().ok()) << call.result().error().message;
  EXPECT_EQ(call.result().output().text, "fake/TEXT_SMALL: hi");
  EXPECT_EQ(call.info().provider, "fake");
  call.cancel();  // a finished call: nothing changes
  EXPECT_TRUE(call.result().ok());
}

TEST_F(AsyncCallTest, CancelEndsAHeldCallPromptlyAndReachesTheProvider) {
  std::atomic<bool> providerSawCancel = false;
  provider_->setHandler([&](ModelType type, const GenerateTextParams& params) {
    ModelResult result = waitForCancel(type, params);
    providerSawCancel = !result.ok();
    return result;
  });
  PendingCall call = runtime_->useModelAsync(ModelType::TextSmall, {});
  EXPECT_FALSE(call.waitFor(50ms));
  const auto start = std::chrono::steady_clock::now();
  call.cancel();
  ASSERT_TRUE(call.waitFor(0ms));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(call.result().error().kind, ErrorKind::Cancelled);
  EXPECT_LT(elapsed, 100ms);
  runtime_.reset();  // joins the worker: the provider must have returned
  EXPECT_TRUE(providerSawCancel);
}

TEST_F(AsyncCallTest, CallsBeyondTheLimitQueueAndTheirWaitCountsAgainstTheDeadline) {
  start({{"AGENT_MAX_CONCURRENT_CALLS", "1"}});
  provider_->setHandler(waitForCancel);
  PendingCall first = runtime_->useModelAsync(ModelType::TextSmall, {});
  GenerateTextParams queued;
  queued.deadline = std::chrono::steady_clock::now() + 20ms;
  PendingCall second = runtime_->useModelAsync(ModelType::TextSmall, queued);
  std::this_thread::sleep_for(40ms);  // the deadline passes while the only slot is busy
  EXPECT_FALSE(second.done());
  first.cancel();
  ASSERT_TRUE(second.waitFor(5s));
  EXPECT_EQ(second.result().error().kind, ErrorKind::Timeout);
  EXPECT_NE(second.result().error().message.find("AGENT_MAX_CONCURRENT_CALLS"), std::string::npos);
}

TEST_F(AsyncCallTest, TheCallersOwnTokenCancelsTheHandle) {
  provider_->setHandler(waitForCancel);
  GenerateTextParams params;
  params.cancellation = std::make_shared<CancellationToken>();
  PendingCall call = runtime_->useModelAsync(ModelType::TextSmall, params);
  params.cancellation->cancel();
  ASSERT_TRUE(call.waitFor(1s));
  EXPECT_EQ(call.result().error().kind, ErrorKind::Cancelled);
}

TEST_F(AsyncCallTest, TheCallersTokenReachesTheProviderThroughTheCallsOwnToken) {
  std::atomic<bool> providerSawCancel = false;
  provider_->setHandler([&](ModelType type, const GenerateTextParams& params) {
    ModelResult result = waitForCancel(type, params);
    providerSawCancel = !result.ok();
    return result;
  });
  GenerateTextParams params;
  params.cancellation = std::make_shared<CancellationToken>();
  PendingCall call = runtime_->useModelAsync(ModelType::TextSmall, params);
  EXPECT_FALSE(call.waitFor(50ms));
  params.cancellation->cancel();
  ASSERT_TRUE(call.waitFor(1s));
  runtime_.reset();  // joins the worker: the provider must have returned
  EXPECT_TRUE(providerSawCancel);
}

TEST_F(AsyncCallTest, CancellingOneHandleLeavesOtherCallsOnTheSameCallerTokenRunning) {
  // Each call waits for its cancel, but at most 300 ms, then answers.
  provider_->setHandler([](ModelType, const GenerateTextParams& params) -> ModelResult {
    std::promise<void> cancelled;
    auto future = cancelled.get_future();
    const auto id = params.cancellation->onCancel([&] { cancelled.set_value(); });
    const bool stopped = future.wait_for(300ms) == std::future_status::ready;
    params.cancellation->remove(id);
    if (stopped) return makeError(ErrorKind::Cancelled, "provider saw the cancel");
    ModelOutput output;
    output.text = "answered " + params.prompt;
    return output;
  });
  const auto shared = std::make_shared<CancellationToken>();
  GenerateTextParams params;
  params.cancellation = shared;
  params.prompt = "one";
  PendingCall one = runtime_->useModelAsync(ModelType::TextSmall, params);
  params.prompt = "two";
  PendingCall two = runtime_->useModelAsync(ModelType::TextSmall, params);
  EXPECT_FALSE(one.waitFor(50ms));
  one.cancel();
  ASSERT_TRUE(two.waitFor(5s));
  ASSERT_TRUE(two.result().ok()) << two.result().error().message;
  EXPECT_EQ(two.result().output().text, "answered two");
  EXPECT_EQ(one.result().error().kind, ErrorKind::Cancelled);
  EXPECT_FALSE(shared->cancelled());
}

TEST_F(AsyncCallTest, FinishedCallsLeaveNoCallbackOnTheCallersToken) {
  const auto longLived = std::make_shared<CancellationToken>();
  GenerateTextParams params;
  params.cancellation = longLived;
  for (int i = 0; i < 1000; ++i) {
    PendingCall call = runtime_->useModelAsync(ModelType::TextSmall, params);
    ASSERT_TRUE(call.waitFor(5s));
    ASSERT_TRUE(call.result().ok());
  }
  // A call is done for its caller before its worker returns: give the last worker a moment.
  for (int i = 0; i < 100 && longLived->callbackCount() > 0; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(longLived->callbackCount(), 0u);
}

TEST_F(AsyncCallTest, ACallBeyondAFullQueueIsBusyAtOnce) {
  start({{"AGENT_MAX_CONCURRENT_CALLS", "1"}, {"AGENT_MAX_QUEUED_CALLS", "2"}});
  provider_->setHandler(waitForCancel);
  const auto token = std::make_shared<CancellationToken>();
  GenerateTextParams params;
  params.cancellation = token;
  PendingCall running = runtime_->useModelAsync(ModelType::TextSmall, params);
  PendingCall queued1 = runtime_->useModelAsync(ModelType::TextSmall, params);
  PendingCall queued2 = runtime_->useModelAsync(ModelType::TextSmall, params);
  PendingCall refused = runtime_->useModelAsync(ModelType::TextSmall, params);
  ASSERT_TRUE(refused.done());
  EXPECT_EQ(refused.result().error().kind, ErrorKind::Busy);
  EXPECT_FALSE(refused.result().error().retryable);
  EXPECT_NE(refused.result().error().message.find("AGENT_MAX_QUEUED_CALLS"), std::string::npos)
      << refused.result().error().message;
  EXPECT_FALSE(queued1.done());
  EXPECT_FALSE(queued2.done());
  EXPECT_EQ(token->callbackCount(), 3u);  // the refused call left none behind
  token->cancel();
  ASSERT_TRUE(running.waitFor(5s));
  ASSERT_TRUE(queued1.waitFor(5s));
  ASSERT_TRUE(queued2.waitFor(5s));
}

TEST_F(AsyncCallTest, ABadQueueLimitIsAWarningAndTheDefault) {
  start({{"AGENT_MAX_QUEUED_CALLS", "-1"}});
  PendingCall call = runtime_->useModelAsync(ModelType::TextSmall, {});
  ASSERT_TRUE(call.waitFor(5s));
  EXPECT_TRUE(call.result().ok());
  EXPECT_NE(log_.str().find("AGENT_MAX_QUEUED_CALLS='-1'"), std::string::npos) << log_.str();
}

// An idle pool thread takes one call of a burst, not all of them: it used to count as free until
// it woke, so a burst submitted before then ran on it one call after the other.
TEST_F(AsyncCallTest, ABurstRunsSideBySideAlsoWithAnIdleThreadInThePool) {
  provider_->setHandler([](ModelType, const GenerateTextParams& params) -> ModelResult {
    if (params.prompt == "hold") std::this_thread::sleep_for(1s);
    ModelOutput output;
    output.text = params.prompt;
    return output;
  });
  for (int round = 0; round < 3; ++round) {
    start();  // a fresh pool
    GenerateTextParams first;
    first.prompt = "first";
    PendingCall warm = runtime_->useModelAsync(ModelType::TextSmall, first);
    ASSERT_TRUE(warm.waitFor(5s));
    std::this_thread::sleep_for(50ms);  // its thread is back waiting for work
    GenerateTextParams held;
    held.prompt = "hold";
    const auto began = std::chrono::steady_clock::now();
    std::vector<PendingCall> burst;
    for (int i = 0; i < 8; ++i)
      burst.push_back(runtime_->useModelAsync(ModelType::TextSmall, held));
    for (auto& call : burst)
      ASSERT_TRUE(call.waitFor(20s));
    EXPECT_LT(std::chrono::steady_clock::now() - began, 1800ms) << "round " << round;
  }
}

TEST_F(AsyncCallTest, ShutdownCancelsRunningCallsAndAbandonsQueuedOnes) {
  start({{"AGENT_MAX_CONCURRENT_CALLS", "1"}});
  provider_->setHandler(waitForCancel);
  PendingCall running = runtime_->useModelAsync(ModelType::TextSmall, {});
  PendingCall queued = runtime_->useModelAsync(ModelType::TextSmall, {});
  runtime_.reset();
  ASSERT_TRUE(running.done());
  ASSERT_TRUE(queued.done());
  EXPECT_EQ(running.result().error().kind, ErrorKind::Cancelled);
  EXPECT_EQ(queued.result().error().kind, ErrorKind::Cancelled);
}

TEST_F(AsyncCallTest, ABadLimitIsAWarningAndTheDefault) {
  start({{"AGENT_MAX_CONCURRENT_CALLS", "lots"}});
  PendingCall call = runtime_->useModelAsync(ModelType::TextSmall, {});
  ASSERT_TRUE(call.waitFor(5s));
  EXPECT_TRUE(call.result().ok());
  EXPECT_NE(log_.str().find("AGENT_MAX_CONCURRENT_CALLS='lots'"), std::string::npos) << log_.str();
}

}  // namespace
}  // namespace agent::host
