// A collector that refuses, hangs or is absent, and a queue that fills: the plugin's handlers stay
// fast (they never wait on the network), the plugin says so in one warning line per signal, and
// unloading it stays bounded.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "OtelTestSupport.hpp"
#include "OtlpReceiver.hpp"
#include "agent/test/Loopback.hpp"

namespace agent::otel::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A handler that took this long waited on the collector: in-memory work takes microseconds, while
// every export below that does not fail at once is held for 2 s or more. Generous, for a shared
// and loaded machine (a lost time slice there has cost 240 ms) and for sanitizer builds.
constexpr auto kSlowHandler = 1000ms;
// The final flush's budget (2 s) and the slack the destructor allows before cutting it off.
constexpr auto kUnloadLimit = 3500ms;

struct Emission {
  std::chrono::microseconds slowest{0};
  std::size_t count = 0;
};

// Delivers `count` model calls (and as many failures and tool runs), timing each handler.
Emission emit(EventObserver& observer, std::size_t count, std::chrono::milliseconds pause = 0ms) {
  Emission emission;
  for (std::size_t i = 0; i < count; ++i) {
    const auto trace = traceContext(static_cast<std::uint8_t>(i % 250 + 1), 2, 1);
    const auto started = Clock::now();
    observer.onModelUsed(sampleModelUsed(trace));
    ModelFailedEvent failed;
    failed.provider = "bitrouter";
    failed.kind = ErrorKind::Unavailable;
    failed.trace = trace;
    observer.onModelFailed(failed);
    ToolEndedEvent tool;
    tool.tool = "t";
    tool.trace = trace;
    observer.onToolEnded(tool);
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    emission.slowest = std::max(emission.slowest, took);
    emission.count += 3;
    if (pause > 0ms) std::this_thread::sleep_for(pause);
  }
  return emission;
}

// Each warning is one line, and a failing signal warns once however often its exports fail.
void expectOneLineWarnings(const LoadedOtel& plugin, std::size_t atMostPerSignal) {
  std::size_t traces = 0;
  std::size_t metrics = 0;
  for (const auto& line : plugin.warnings()) {
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    traces += line.find("cannot export traces") != std::string::npos ? 1 : 0;
    metrics += line.find("cannot export metrics") != std::string::npos ? 1 : 0;
  }
  EXPECT_GE(traces, 1u);
  EXPECT_LE(traces, atMostPerSignal);
  EXPECT_LE(metrics, atMostPerSignal);
}

testing::FakeHostServices::SettingMap fastSettings(const std::string& endpoint) {
  return {{"OTEL_EXPORTER_OTLP_ENDPOINT", endpoint},
          {"OTEL_BSP_SCHEDULE_DELAY", "10"},
          {"OTEL_METRIC_EXPORT_INTERVAL", "20"},
          {"OTEL_EXPORTER_OTLP_TIMEOUT", "200"}};
}

class RefusingCollector : public ::testing::TestWithParam<int> {};

TEST_P(RefusingCollector, CostsOneWarningNotCalls) {
  OtlpReceiver receiver(OtlpReceiver::Mode::Refuse, GetParam());
  LoadedOtel plugin(fastSettings(receiver.baseUrl()));
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  const Emission emission = emit(*plugin.observer(), 40, 5ms);
  ASSERT_TRUE(receiver.waitFor("/v1/traces", 3, 5s));  // refused again and again
  EXPECT_LT(emission.slowest, kSlowHandler);
  EXPECT_LT(plugin.unload(), kUnloadLimit);
  expectOneLineWarnings(plugin, 1);
  const auto warnings = plugin.warnings();
  const std::string status = "HTTP " + std::to_string(GetParam());
  EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [&status](const std::string& line) {
    return line.find(status) != std::string::npos &&
           line.find("refused by the test collector") != std::string::npos;
  })) << ::testing::PrintToString(warnings);
}

INSTANTIATE_TEST_SUITE_P(Statuses, RefusingCollector, ::testing::Values(400, 404, 500, 503));

TEST(OtelFaults, AHangingCollectorDelaysNeitherCallsNorShutdown) {
  OtlpReceiver receiver(OtlpReceiver::Mode::Hang);
  auto settings = fastSettings(receiver.baseUrl());
  settings["OTEL_EXPORTER_OTLP_TIMEOUT"] = "30000";  // only the shutdown budget can end it
  LoadedOtel plugin(settings);
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  const Emission emission = emit(*plugin.observer(), 30, 5ms);
  ASSERT_TRUE(receiver.waitFor("/v1/traces", 1, 5s));
  EXPECT_LT(emission.slowest, kSlowHandler);
  const auto unloading = plugin.unload();
  EXPECT_LT(unloading, kUnloadLimit);
  EXPECT_GE(unloading, 1500ms);  // it did give the final flush its budget
}

TEST(OtelFaults, ASlowCollectorTimesOutWithOneWarning) {
  OtlpReceiver receiver(OtlpReceiver::Mode::Hang);
  auto settings = fastSettings(receiver.baseUrl());
  settings["OTEL_EXPORTER_OTLP_TIMEOUT"] = "2000";
  LoadedOtel plugin(settings);
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  const Emission emission = emit(*plugin.observer(), 60, 10ms);
  ASSERT_TRUE(receiver.waitFor("/v1/traces", 2, 8s));  // the first export timed out
  EXPECT_LT(emission.slowest, kSlowHandler);
  EXPECT_LT(plugin.unload(), kUnloadLimit);
  expectOneLineWarnings(plugin, 1);
}

TEST(OtelFaults, AnAbsentCollectorCostsOneWarning) {
  LoadedOtel plugin(
      fastSettings("http://127.0.0.1:" + std::to_string(agent::test::unusedLoopbackPort())));
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  const Emission emission = emit(*plugin.observer(), 50, 2ms);
  EXPECT_LT(emission.slowest, kSlowHandler);
  EXPECT_LT(plugin.unload(), kUnloadLimit);
  expectOneLineWarnings(plugin, 1);
}

TEST(OtelFaults, AFullQueueDropsAndCountsSpansWithoutWaiting) {
  OtlpReceiver receiver(OtlpReceiver::Mode::Hang);
  auto settings = fastSettings(receiver.baseUrl());
  settings["OTEL_EXPORTER_OTLP_TIMEOUT"] = "30000";  // the exporter is stuck on its first batch
  LoadedOtel plugin(settings);
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  EventObserver& observer = *plugin.observer();
  emit(observer, 1);
  ASSERT_TRUE(receiver.waitFor("/v1/traces", 1, 5s));
  // 3 x 1500 spans against a queue of 2048.
  const Emission emission = emit(observer, 1500);
  EXPECT_LT(emission.slowest, kSlowHandler);
  EXPECT_LT(plugin.unload(), kUnloadLimit);
  const auto warnings = plugin.warnings();
  const bool countedDrops = std::any_of(warnings.begin(), warnings.end(), [](const auto& line) {
    return line.find("dropped in all") != std::string::npos;
  });
  EXPECT_TRUE(countedDrops) << ::testing::PrintToString(warnings);
  for (const auto& line : warnings)
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
}

// A collector on a raw socket, for what an HTTP server will not do: reset each connection after
// its first bytes, or accept and never read (with a small receive buffer, so the exporter's
// write of a batch blocks part way).
class RawCollector {
 public:
  enum class Mode { Reset, StopReading };

  explicit RawCollector(Mode mode)
      : mode_(mode),
        listener_(agent::test::listenOnLoopback(port_, 16, mode == Mode::StopReading ? 4096 : 0)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~RawCollector() {
    ::shutdown(listener_, SHUT_RDWR);  // ends the accept() below
    thread_.join();
    for (const int connection : held_)
      ::close(connection);
    ::close(listener_);
  }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::size_t connections() const { return connections_.load(); }

 private:
  void serve() {
    while (true) {
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) return;
      ++connections_;
      if (mode_ == Mode::StopReading) {
        held_.push_back(connection);
        continue;
      }
      char head[64];
      (void)::recv(connection, head, sizeof head, 0);
      const linger reset{1, 0};  // close with RST, not FIN
      ::setsockopt(connection, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
      ::close(connection);
    }
  }

  const Mode mode_;
  std::uint16_t port_ = 0;  // before listener_, which sets it
  int listener_;
  std::atomic<std::size_t> connections_{0};
  std::vector<int> held_;  // only the serving thread touches it until the join
  std::thread thread_;
};

TEST(OtelFaults, ACollectorThatResetsEachConnectionCostsOneWarning) {
  RawCollector collector(RawCollector::Mode::Reset);
  LoadedOtel plugin(fastSettings(collector.baseUrl()));
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  Emission emission;
  for (int round = 0; round < 20 && collector.connections() < 5; ++round) {
    const Emission part = emit(*plugin.observer(), 100);
    emission.slowest = std::max(emission.slowest, part.slowest);
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_GE(collector.connections(), 5u);
  EXPECT_LT(emission.slowest, kSlowHandler);
  EXPECT_LT(plugin.unload(), kUnloadLimit);
  expectOneLineWarnings(plugin, 1);
}

// The unload ends an export blocked in the middle of writing its batch by shutting the socket
// down, within the final flush's budget; Poco's next write then fails with EPIPE, which is a
// warning. (Whether SIGPIPE would kill the process cannot be seen from here: loading Poco blocks
// SIGPIPE in the loading thread, so the exporter's thread starts with it blocked anyway.)
TEST(OtelFaults, UnloadingDuringAHalfWrittenBatchIsBounded) {
  RawCollector collector(RawCollector::Mode::StopReading);
  auto settings = fastSettings(collector.baseUrl());
  settings["OTEL_EXPORTER_OTLP_TIMEOUT"] = "30000";  // only the unload can end the write
  LoadedOtel plugin(settings);
  ASSERT_TRUE(plugin.loaded()) << plugin.report().reason;
  const Emission emission = emit(*plugin.observer(), 600);  // batches far beyond the buffers
  for (int i = 0; i < 100 && collector.connections() == 0; ++i)
    std::this_thread::sleep_for(20ms);
  ASSERT_GE(collector.connections(), 1u);
  std::this_thread::sleep_for(300ms);  // the write fills the buffers and blocks
  EXPECT_LT(emission.slowest, kSlowHandler);
  EXPECT_LT(plugin.unload(), kUnloadLimit);
  for (const auto& line : plugin.warnings())
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
}

}  // namespace
}  // namespace agent::otel::test
