// Many threads through one provider at once: every call gets its own reply, and connections are
// pooled and reused rather than opened per call.
#include <atomic>
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

}  // namespace
}  // namespace agent::bitrouter::integration
