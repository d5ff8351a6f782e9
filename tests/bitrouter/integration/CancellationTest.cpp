// Per-call deadline and cancellation through the real host and the real bitrouter.so, over
// loopback to the stand-in: GenerateTextParams::cancellation ends a call at once (held by the
// server, streamed, waiting to retry, or before it starts) as Cancelled and never retried;
// GenerateTextParams::deadline, when sooner than BITROUTER_TIMEOUT_MS, ends it as Timeout.
// The measured figures are printed; the bounds are generous for a loaded machine.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "IntegrationSupport.hpp"
#include "agent/host/EventBus.hpp"

namespace agent::bitrouter::integration {
namespace {

using CancellationTest = BitRouterIntegrationTest;

constexpr milliseconds kHeld{30000};       // how long the stand-in holds its answer
constexpr milliseconds kPrompt{1000};      // the bound asserted for "at once"
constexpr milliseconds kCancelAfter{200};  // the call is in flight by then

std::string header(const standin::RecordedRequest& request, const std::string& name) {
  const auto found = request.headers.find(name);
  return found == request.headers.end() ? std::string() : found->second;
}

// Cancels `token` after `delay` on a thread of its own and records when it did.
class DelayedCancel {
 public:
  DelayedCancel(std::shared_ptr<CancellationToken> token, milliseconds delay)
      : thread_([this, token = std::move(token), delay] {
          std::this_thread::sleep_for(delay);
          cancelledAt_ = Clock::now();
          token->cancel();
        }) {}
  ~DelayedCancel() {
    if (thread_.joinable()) thread_.join();
  }
  /// Joins, then returns how long after the cancel `end` was.
  milliseconds until(Clock::time_point end) {
    thread_.join();
    return std::chrono::duration_cast<milliseconds>(end - cancelledAt_);
  }

 private:
  Clock::time_point cancelledAt_;
  std::thread thread_;
};

void expectCancelled(const ModelResult& result) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Cancelled) << describe(result);
  EXPECT_FALSE(result.error().retryable);
  EXPECT_TRUE(contains(result.error().message, "cancelled")) << result.error().message;
}

TEST_F(CancellationTest, CancelEndsACallTheServerHoldsAtOnce) {
  makeHost();
  standin().scriptRepeated({.delayBeforeHeaders = kHeld}, 3);
  GenerateTextParams params = withPrompt("hi");
  params.cancellation = std::make_shared<CancellationToken>();
  DelayedCancel cancel(params.cancellation, kCancelAfter);
  const ModelResult result = call(ModelType::TextSmall, params);
  const milliseconds took = cancel.until(Clock::now());
  std::printf("[ measured ] non-streamed call held by the server ended %lld ms after cancel()\n",
              static_cast<long long>(took.count()));
  expectCancelled(result);
  EXPECT_LT(took, kPrompt);
  EXPECT_EQ(standin().chatRequestCount(), 1u);  // never retried
}

// A loopback address whose SYNs go unanswered: a listener with a backlog of 0 whose accept queue
// is already full drops every further SYN, so a connect there hangs as it would on a lost route.
class Blackhole {
 public:
  Blackhole() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 0) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("blackhole listener failed");
    }
    port_ = ntohs(address.sin_port);
    for (int& filler : fillers_) {
      filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      ::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address);
    }
    std::this_thread::sleep_for(milliseconds(100));  // the fillers' handshakes complete
  }
  ~Blackhole() {
    for (const int filler : fillers_)
      ::close(filler);
    ::close(listener_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int listener_ = -1;
  int fillers_[4] = {-1, -1, -1, -1};
  std::uint16_t port_ = 0;
};

TEST_F(CancellationTest, CancelDuringATcpConnectEndsItAtOnce) {
  const Blackhole blackhole;
  makeHost({{"BITROUTER_BASE_URL", blackhole.url()}, {"BITROUTER_CONNECT_TIMEOUT_MS", "20000"}});
  GenerateTextParams params = withPrompt("hi");
  params.cancellation = std::make_shared<CancellationToken>();
  DelayedCancel cancel(params.cancellation, kCancelAfter);
  const ModelResult result = call(ModelType::TextSmall, params);
  const milliseconds took = cancel.until(Clock::now());
  std::printf("[ measured ] a call still connecting ended %lld ms after cancel()\n",
              static_cast<long long>(took.count()));
  expectCancelled(result);
  EXPECT_LT(took, kPrompt);
}

TEST_F(CancellationTest, CancelEndsAStreamTheServerHoldsAtOnce) {
  makeHost();
  // The first frame at once, the next one 30 s later.
  standin().script({.streamChunks = {"Hello", " there"}, .frameDelay = kHeld});
  GenerateTextParams params = withPrompt("hi");
  params.stream = true;
  std::string received;
  params.onChunk = [&received](std::string_view chunk) {
    received += chunk;
    return true;
  };
  params.cancellation = std::make_shared<CancellationToken>();
  DelayedCancel cancel(params.cancellation, kCancelAfter);
  const ModelResult result = call(ModelType::TextSmall, params);
  const milliseconds took = cancel.until(Clock::now());
  std::printf("[ measured ] streamed call held by the server ended %lld ms after cancel()\n",
              static_cast<long long>(took.count()));
  expectCancelled(result);
  EXPECT_LT(took, kPrompt);
  EXPECT_EQ(received, "Hello");
  EXPECT_EQ(result.error().partialText, "Hello");
  EXPECT_EQ(standin().chatRequestCount(), 1u);
}

TEST_F(CancellationTest, CancelEndsAStreamHeldBeforeItsHeaders) {
  makeHost();
  standin().script({.delayBeforeHeaders = kHeld});
  GenerateTextParams params = withPrompt("hi");
  params.stream = true;
  params.onChunk = [](std::string_view) { return true; };
  params.cancellation = std::make_shared<CancellationToken>();
  DelayedCancel cancel(params.cancellation, kCancelAfter);
  const ModelResult result = call(ModelType::TextSmall, params);
  const milliseconds took = cancel.until(Clock::now());
  expectCancelled(result);
  EXPECT_LT(took, kPrompt);
}

TEST_F(CancellationTest, CancelEndsTheWaitBeforeARetry) {
  makeHost();
  // 429 with a long Retry-After: the plugin would wait 10 s before the second attempt.
  standin().script({.status = 429, .headers = {{"Retry-After", "10"}}});
  GenerateTextParams params = withPrompt("hi");
  params.cancellation = std::make_shared<CancellationToken>();
  DelayedCancel cancel(params.cancellation, kCancelAfter);
  const ModelResult result = call(ModelType::TextSmall, params);
  const milliseconds took = cancel.until(Clock::now());
  expectCancelled(result);
  EXPECT_LT(took, kPrompt);
  EXPECT_EQ(standin().chatRequestCount(), 1u);
}

TEST_F(CancellationTest, CancelBeforeTheCallStartsSendsNothing) {
  makeHost();
  for (const bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streamed" : "not streamed");
    GenerateTextParams params = withPrompt("hi");
    params.stream = stream;
    params.onChunk = [](std::string_view) { return true; };
    params.cancellation = std::make_shared<CancellationToken>();
    params.cancellation->cancel();
    const auto start = Clock::now();
    const ModelResult result = call(ModelType::TextSmall, params);
    expectCancelled(result);
    EXPECT_LT(Clock::now() - start, kPrompt);
  }
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

TEST_F(CancellationTest, ATokenNeverCancelledChangesNothing) {
  makeHost();
  GenerateTextParams params = withPrompt("hi");
  params.cancellation = std::make_shared<CancellationToken>();
  for (int i = 0; i < 3; ++i) {
    const ModelResult result = call(ModelType::TextSmall, params);
    ASSERT_TRUE(result.ok()) << describe(result);
  }
  // Cancelling after the calls ended touches nothing: they unregistered.
  params.cancellation->cancel();
  const ModelResult after = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(after.ok()) << describe(after);
}

TEST_F(CancellationTest, ACallerDeadlineSoonerThanTheSettingEndsTheCallAsTimeout) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "60000"}});
  for (const bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streamed" : "not streamed");
    standin().clearScripts();
    if (stream) {
      standin().script({.streamChunks = {"Hello", " there"}, .frameDelay = kHeld});
    } else {
      standin().script({.delayBeforeHeaders = kHeld});
    }
    const std::size_t before = standin().chatRequestCount();
    GenerateTextParams params = withPrompt("hi");
    params.stream = stream;
    params.onChunk = [](std::string_view) { return true; };
    const auto start = Clock::now();
    params.deadline = start + milliseconds(300);
    const ModelResult result = call(ModelType::TextSmall, params);
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    std::printf("[ measured ] a 300 ms caller deadline (%s) ended the call after %lld ms\n",
                stream ? "streamed" : "not streamed", static_cast<long long>(took.count()));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::Timeout) << describe(result);
    EXPECT_TRUE(contains(result.error().message, "deadline")) << result.error().message;
    EXPECT_GE(took, milliseconds(290));
    EXPECT_LT(took, milliseconds(1500));
    EXPECT_EQ(standin().chatRequestCount(), before + 1);  // the budget is spent: no retry
  }
}

TEST_F(CancellationTest, TheSettingWinsWhenItIsSooner) {
  makeHost({{"BITROUTER_TIMEOUT_MS", "300"}});
  standin().script({.delayBeforeHeaders = kHeld});
  GenerateTextParams params = withPrompt("hi");
  params.deadline = Clock::now() + std::chrono::seconds(60);
  const auto start = Clock::now();
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout) << describe(result);
  EXPECT_TRUE(contains(result.error().message, "BITROUTER_TIMEOUT_MS")) << result.error().message;
  EXPECT_LT(Clock::now() - start, milliseconds(1500));
}

TEST_F(CancellationTest, ADeadlineAlreadyPastSendsNothing) {
  makeHost();
  GenerateTextParams params = withPrompt("hi");
  params.deadline = Clock::now() - milliseconds(1);
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout) << describe(result);
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

TEST_F(CancellationTest, OutputCarriesTheRequestIdAndTheAttempts) {
  makeHost();
  standin().script({.status = 503});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().attempts, 2);
  const std::vector<standin::RecordedRequest> requests = chatRequests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(result.output().requestId, header(requests[1], "x-bitrouter-request-id"));
  EXPECT_FALSE(result.output().requestId.empty());
  const std::vector<ModelUsedEvent> events = modelUsed();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].attempts, 2);
  EXPECT_EQ(events[0].requestId, result.output().requestId);
}

TEST_F(CancellationTest, ModelUsedCarriesTheDurationAndWhetherItStreamed) {
  makeHost();
  standin().script({.delayBeforeHeaders = std::chrono::milliseconds(50)});
  ASSERT_TRUE(call(ModelType::TextSmall, "hi").ok());
  const std::vector<ModelUsedEvent> events = modelUsed();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_GE(events[0].duration.count(), 50);
  EXPECT_FALSE(events[0].streamed);
}

TEST_F(CancellationTest, AFailedCallIsPublishedAsModelFailed) {
  makeHost();
  std::vector<ModelFailedEvent> failures;
  host().events().subscribeFailures(
      [&failures](const ModelFailedEvent& event) { failures.push_back(event); });
  standin().script({.status = 401});
  const ModelResult result = call(ModelType::TextLarge, "hi");
  host().events().flush();  // events are delivered off the call's thread
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].provider, "bitrouter");
  EXPECT_EQ(failures[0].type, ModelType::TextLarge);
  EXPECT_EQ(failures[0].kind, ErrorKind::Auth);
  EXPECT_EQ(failures[0].httpStatus, 401);
  EXPECT_EQ(failures[0].attempts.size(), 1u);
  EXPECT_EQ(failures[0].message, result.error().message);
  EXPECT_TRUE(modelUsed().empty());
}

}  // namespace
}  // namespace agent::bitrouter::integration
