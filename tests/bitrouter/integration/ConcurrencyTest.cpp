// Many threads through one provider at once: every call gets its own reply, and connections are
// pooled and reused rather than opened per call; a burst of asynchronous calls runs side by side.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

using ConcurrencyTest = BitRouterIntegrationTest;

constexpr int kThreads = 16;
constexpr int kCallsPerThread = 8;
// One pooled connection per call in flight: never more connections than concurrent callers.
constexpr std::size_t kPoolBound = kThreads;

TEST_F(ConcurrencyTest, SixteenThreadsGetTheirOwnRepliesOverReusedConnections) {
  makeHost({{"BITROUTER_API_KEY", std::string(kValidKey)}}, Plugins::BitRouter, LogLevel::Info);
  // Init's /v1/models probe runs in the background: once it has reported, forget it.
  ASSERT_TRUE(waitForLog("BitRouter reachable at")) << logText();
  standin().resetRecords();

  std::vector<std::vector<std::string>> failures(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Start together, so the calls really overlap.
      ready.fetch_add(1);
      while (ready.load() < kThreads)
        std::this_thread::yield();
      for (int i = 0; i < kCallsPerThread; ++i) {
        const std::string prompt = "thread " + std::to_string(t) + " call " + std::to_string(i);
        const ModelType type = (i % 2 == 0) ? ModelType::TextSmall : ModelType::TextLarge;
        const std::string model = (i % 2 == 0) ? "gpt-4o-mini" : "gpt-4o";
        const ModelResult result = host().runtime().useModel(type, withPrompt(prompt));
        const std::string expected = "Stand-in reply from " + model + ": " + prompt;
        if (!result.ok() || result.output().text != expected) {
          failures[t].push_back(prompt + " -> " + describe(result));
        }
      }
    });
  }
  for (auto& thread : threads)
    thread.join();

  for (int t = 0; t < kThreads; ++t) {
    for (const auto& failure : failures[t])
      ADD_FAILURE() << failure;
  }
  constexpr std::size_t kCalls = kThreads * kCallsPerThread;
  EXPECT_EQ(standin().chatRequestCount(), kCalls);
  EXPECT_EQ(modelUsed().size(), kCalls);
  RecordProperty("connections", static_cast<int>(standin().connectionCount()));
  EXPECT_LE(standin().connectionCount(), kPoolBound);
  EXPECT_LT(standin().connectionCount(), kCalls / 4) << "connections were not reused";
}

TEST_F(ConcurrencyTest, ConcurrentStreamsEachGetTheirOwnChunks) {
  makeHost();
  constexpr int kStreams = 8;
  std::vector<std::string> texts(kStreams);
  std::vector<std::string> streamed(kStreams);
  std::vector<int> ok(kStreams, 0);  // not vector<bool>: its bits would share bytes across threads
  std::vector<std::thread> threads;
  for (int t = 0; t < kStreams; ++t) {
    threads.emplace_back([&, t] {
      GenerateTextParams params = withPrompt("stream " + std::to_string(t));
      params.stream = true;
      params.onChunk = [&streamed, t](std::string_view chunk) {
        streamed[t].append(chunk);
        return true;
      };
      const ModelResult result = host().runtime().useModel(ModelType::TextSmall, params);
      ok[t] = result.ok() ? 1 : 0;
      if (result.ok()) texts[t] = result.output().text;
    });
  }
  for (auto& thread : threads)
    thread.join();
  for (int t = 0; t < kStreams; ++t) {
    const std::string expected = "Stand-in reply from gpt-4o-mini: stream " + std::to_string(t);
    EXPECT_EQ(ok[t], 1) << t;
    EXPECT_EQ(texts[t], expected);
    EXPECT_EQ(streamed[t], expected);
  }
}

// Calls submitted together run together: each gets a pool thread at once, also when an idle
// thread is there (an idle thread used to count as free until it woke, so the whole burst went to
// it and ran one call after the other: 8 s). Each round starts a fresh host whose pool has one
// idle thread, left by a first call. A correctness bound, not a speed target: serialised calls
// take 2 s or more.
TEST_F(ConcurrencyTest, ABurstOfAsyncCallsRunsSideBySideEveryTime) {
  constexpr int kCalls = 8;
  constexpr milliseconds kHeld{1000};
  for (int round = 0; round < 5; ++round) {
    makeHost({}, Plugins::BitRouter, LogLevel::Warn);
    host::PendingCall first = host().runtime().useModelAsync(ModelType::TextSmall, withPrompt("a"));
    ASSERT_TRUE(first.waitFor(std::chrono::seconds(10)));
    ASSERT_TRUE(first.result().ok()) << describe(first.result());
    std::this_thread::sleep_for(milliseconds(50));  // its thread is back waiting for work

    standin().scriptRepeated({.delayBeforeHeaders = kHeld}, kCalls);
    const auto start = Clock::now();
    std::vector<host::PendingCall> calls;
    for (int i = 0; i < kCalls; ++i) {
      calls.push_back(
          host().runtime().useModelAsync(ModelType::TextSmall, withPrompt(std::to_string(i))));
    }
    for (auto& call : calls) {
      ASSERT_TRUE(call.waitFor(std::chrono::seconds(20)));
      EXPECT_TRUE(call.result().ok()) << describe(call.result());
    }
    const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    std::printf("burst %d: %d calls held %lld ms each took %lld ms\n", round, kCalls,
                static_cast<long long>(kHeld.count()), static_cast<long long>(elapsed.count()));
    EXPECT_LT(elapsed, milliseconds(1800)) << "round " << round;
  }
}

}  // namespace
}  // namespace agent::bitrouter::integration
