// DeadlineWatchdog on its own (real loopback sockets), then through BitRouterClient against a
// server that trickles its answer one byte at a time (each byte within a per-read timeout,
// the whole far beyond BITROUTER_TIMEOUT_MS): over plain HTTP the plugin checks the deadline
// between its own reads, so the call still ends on time.
#include "transport/DeadlineWatchdog.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "LoopbackServer.hpp"
#include "RawServer.hpp"
#include "agent/bitrouter/BitRouterClient.hpp"

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A connected pair of loopback sockets.
// A connected pair of loopback sockets, with the client's duplicate for the watchdog.
struct SocketPair {
  SocketPair() { duplicate.attach(client); }

  Poco::Net::ServerSocket listener{Poco::Net::SocketAddress("127.0.0.1", 0)};
  Poco::Net::StreamSocket client{listener.address()};
  Poco::Net::StreamSocket server{listener.acceptConnection()};
  SocketDuplicate duplicate;
};

// Blocks in one read (up to 5 s) and returns what it returned, and how long it took.
std::pair<int, Clock::duration> blockingRead(Poco::Net::StreamSocket& socket) {
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  char byte = 0;
  const auto start = Clock::now();
  const int n = socket.receiveBytes(&byte, 1);
  return {n, Clock::now() - start};
}

TEST(DeadlineWatchdog, WakesABlockedReadAtTheDeadline) {
  SocketPair pair;
  DeadlineWatchdog watchdog;
  DeadlineWatchdog::Watch watch;
  const auto armed = Clock::now();
  ASSERT_TRUE(watchdog.arm(watch, pair.duplicate, armed + 100ms));
  const auto [n, took] = blockingRead(pair.client);
  const auto sinceArmed = Clock::now() - armed;
  EXPECT_EQ(n, 0);  // EOF: the read side was shut down
  EXPECT_TRUE(watch.fired());
  // Not before the deadline, counted from when it was set (the read starts a little later, and
  // under a sanitizer that can be more than 10 ms).
  EXPECT_GE(sinceArmed, 95ms);
  EXPECT_LT(took, 1000ms);
  EXPECT_EQ(watchdog.armedCount(), 0u);
  watch.disarm();
}

TEST(DeadlineWatchdog, FireWakesABlockedReadAtOnce) {
  SocketPair pair;
  DeadlineWatchdog watchdog;
  DeadlineWatchdog::Watch watch;
  ASSERT_TRUE(watchdog.arm(watch, pair.duplicate, Clock::now() + 10s));
  std::thread canceller([&] {
    std::this_thread::sleep_for(50ms);
    watchdog.fire(watch, DeadlineWatchdog::Cause::Cancelled);
  });
  const auto [n, took] = blockingRead(pair.client);
  canceller.join();
  EXPECT_EQ(n, 0);
  EXPECT_EQ(watch.cause(), DeadlineWatchdog::Cause::Cancelled);
  EXPECT_LT(took, 1000ms);
  EXPECT_EQ(watchdog.armedCount(), 0u);
}

TEST(DeadlineWatchdog, FiringADisarmedWatchDoesNothing) {
  SocketPair pair;
  DeadlineWatchdog watchdog;
  DeadlineWatchdog::Watch watch;
  ASSERT_TRUE(watchdog.arm(watch, pair.duplicate, Clock::now() + 10s));
  watch.disarm();
  watchdog.fire(watch, DeadlineWatchdog::Cause::Cancelled);
  EXPECT_FALSE(watch.fired());
  pair.server.sendBytes("x", 1);
  EXPECT_EQ(blockingRead(pair.client).first, 1);
}

TEST(DeadlineWatchdog, DisarmedInTimeNeverFires) {
  SocketPair pair;
  DeadlineWatchdog watchdog;
  {
    DeadlineWatchdog::Watch watch;
    ASSERT_TRUE(watchdog.arm(watch, pair.duplicate, Clock::now() + 50ms));
    EXPECT_EQ(watchdog.armedCount(), 1u);
    watch.disarm();
    EXPECT_EQ(watchdog.armedCount(), 0u);
    std::this_thread::sleep_for(150ms);
    EXPECT_FALSE(watch.fired());
  }
  // The socket is untouched.
  pair.server.sendBytes("x", 1);
  const auto [n, took] = blockingRead(pair.client);
  EXPECT_EQ(n, 1);
}

TEST(DeadlineWatchdog, AnEarlierDeadlineArmedLaterIsNotMissed) {
  SocketPair first;
  SocketPair second;
  DeadlineWatchdog watchdog;
  DeadlineWatchdog::Watch late;
  DeadlineWatchdog::Watch early;
  ASSERT_TRUE(watchdog.arm(late, first.duplicate, Clock::now() + 10s));
  std::this_thread::sleep_for(20ms);  // the thread now sleeps until the late deadline
  ASSERT_TRUE(watchdog.arm(early, second.duplicate, Clock::now() + 50ms));
  const auto [n, took] = blockingRead(second.client);
  EXPECT_EQ(n, 0);
  EXPECT_TRUE(early.fired());
  EXPECT_LT(took, 1000ms);
  EXPECT_FALSE(late.fired());
  EXPECT_EQ(watchdog.armedCount(), 1u);
}

TEST(DeadlineWatchdog, ASocketNotYetOpenIsNotArmed) {
  DeadlineWatchdog watchdog;
  DeadlineWatchdog::Watch watch;
  const Poco::Net::StreamSocket unopened;
  SocketDuplicate duplicate;
  EXPECT_FALSE(duplicate.attach(unopened));
  EXPECT_FALSE(watchdog.arm(watch, duplicate, Clock::now() + 10ms));
  EXPECT_EQ(watchdog.armedCount(), 0u);
}

// Poco closes the socket on some errors while the watch is still armed; the descriptor number
// may then be reused by another connection at once. The watchdog must not shut that one down.
TEST(DeadlineWatchdog, ADescriptorNumberReusedMeanwhileIsNotTouched) {
  SocketPair watched;
  DeadlineWatchdog watchdog;
  DeadlineWatchdog::Watch watch;
  ASSERT_TRUE(watchdog.arm(watch, watched.duplicate, Clock::now() + 100ms));
  watched.client.close();
  SocketPair other;  // likely gets the number just freed
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(watch.fired());
  other.server.sendBytes("x", 1);
  const auto [n, took] = blockingRead(other.client);
  EXPECT_EQ(n, 1);
}

TEST(DeadlineWatchdog, ManyWatchesAtOnceEachFireOrDisarm) {
  DeadlineWatchdog watchdog;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        SocketPair pair;
        DeadlineWatchdog::Watch watch;
        const bool expire = (t + i) % 2 == 0;
        if (!watchdog.arm(watch, pair.duplicate, Clock::now() + (expire ? 5ms : 10s))) ++wrong;
        if (expire) {
          if (blockingRead(pair.client).first != 0) ++wrong;
        }
        watch.disarm();
        if (watch.fired() != expire) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(watchdog.armedCount(), 0u);
}

// --- Through the client -------------------------------------------------------------------

BitRouterConfig configFor(const std::string& baseUrl,
                          std::map<std::string, std::string, std::less<>> settings) {
  settings.emplace("BITROUTER_BASE_URL", baseUrl);
  settings.emplace("BITROUTER_RETRY_BASE_MS", "0");
  return BitRouterConfig::fromSettings(lookupFromMap(std::move(settings)));
}

GenerateTextParams hello() {
  GenerateTextParams params;
  params.prompt = "Say hello";
  return params;
}

// About 2 KB of response, the headers padded so nearly all of it is header bytes.
std::string paddedResponse(const std::string& contentType = "application/json") {
  const std::string body = test::completionJson(R"("late")");
  return "HTTP/1.1 200 OK\r\nContent-Type: " + contentType +
         "\r\nX-Pad: " + std::string(1900, 'p') +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// 1 byte every 20 ms: each read succeeds long before Poco's timeout, the whole takes 40 s.
test::RawServer tricklingServer(const std::string& response) {
  return test::RawServer(
      [response](const test::RawServer& server, Poco::Net::StreamSocket& socket, int, int) {
        server.trickle(socket, response, 20ms);
        return false;
      });
}

void expectTimeoutAtTheDeadline(const ModelResult& result, Clock::duration elapsed) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout) << result.error().message;
  EXPECT_NE(result.error().message.find("BITROUTER_TIMEOUT_MS"), std::string::npos)
      << result.error().message;
  EXPECT_GE(elapsed, 290ms);
  EXPECT_LT(elapsed, 300ms + 400ms);  // slack for a loaded 2-core machine or a sanitizer
}

TEST(DeadlineWatchdogClient, TrickledHeadersEndAtTheDeadline) {
  test::RawServer server = tricklingServer(paddedResponse());
  BitRouterClient client(configFor(server.baseUrl(), {{"BITROUTER_TIMEOUT_MS", "300"}}));
  const auto start = Clock::now();
  const ModelResult result = client.chat("m", hello());
  expectTimeoutAtTheDeadline(result, Clock::now() - start);
  EXPECT_EQ(server.requests(), 1);  // sent once: a timeout after sending is final
}

TEST(DeadlineWatchdogClient, TrickledStreamHeadersEndAtTheDeadline) {
  test::RawServer server = tricklingServer(paddedResponse("text/event-stream"));
  BitRouterClient client(configFor(server.baseUrl(), {{"BITROUTER_TIMEOUT_MS", "300"}}));
  GenerateTextParams params = hello();
  params.stream = true;
  params.onChunk = [](std::string_view) { return true; };
  const auto start = Clock::now();
  const ModelResult result = client.chat("m", params);
  expectTimeoutAtTheDeadline(result, Clock::now() - start);
}

TEST(DeadlineWatchdogClient, TrickledStreamEndsAtTheDeadlineNotTheIdleTimeout) {
  // Headers at once, then SSE keepalive comments a byte at a time: never idle for long.
  test::RawServer server([](const test::RawServer& raw, Poco::Net::StreamSocket& socket, int, int) {
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
    if (!test::RawServer::send(socket, head)) return false;
    raw.trickle(socket, std::string(2000, ':') + "\n\n", 20ms);
    return false;
  });
  BitRouterClient client(
      configFor(server.baseUrl(),
                {{"BITROUTER_TIMEOUT_MS", "300"}, {"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "200"}}));
  GenerateTextParams params = hello();
  params.stream = true;
  params.onChunk = [](std::string_view) { return true; };
  const auto start = Clock::now();
  const ModelResult result = client.chat("m", params);
  expectTimeoutAtTheDeadline(result, Clock::now() - start);
}

TEST(DeadlineWatchdogClient, ModelsProbeWithTrickledHeadersEndsOnTime) {
  test::RawServer server = tricklingServer(paddedResponse());
  BitRouterClient client(configFor(server.baseUrl(), {}));
  const auto start = Clock::now();
  const ModelsProbe probe = client.listModels(300ms);
  const auto elapsed = Clock::now() - start;
  EXPECT_FALSE(probe.problem.empty());
  EXPECT_LT(elapsed, 700ms);
}

TEST(DeadlineWatchdogClient, FastCallsAfterATimeoutStillSucceed) {
  // The watchdog thread outlives one call and serves the next; nothing fires on a fast answer.
  test::RawServer server(
      [](const test::RawServer& raw, Poco::Net::StreamSocket& socket, int, int request) {
        if (request == 1) {
          raw.trickle(socket, paddedResponse(), 20ms);
          return false;
        }
        return test::RawServer::send(
            socket, test::RawServer::okResponse(test::completionJson(R"("fast")")));
      });
  BitRouterClient client(configFor(server.baseUrl(), {{"BITROUTER_TIMEOUT_MS", "300"}}));
  ASSERT_FALSE(client.chat("m", hello()).ok());
  for (int i = 0; i < 5; ++i) {
    const ModelResult result = client.chat("m", hello());
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result.output().text, "fast");
  }
  EXPECT_EQ(server.connections(), 2);  // the timed-out one was dropped, the next one kept
}

}  // namespace
}  // namespace agent::bitrouter
