// useModelAsync: handles, cancel, the pool's limit and queue, deadlines and shutdown.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <sstream>

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
