// MODEL_FAILOVER as elizaOS's useModel fails over: one case per rule of its failover test (the
// failures that move a call on, the ones that never do, the order tried, the attempts recorded),
// with real plugins through the loader. alpha (priority 10) outranks beta (0) unless said.
#include "agent/host/AgentHost.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using enum ModelType;

class FailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
    dir_.copy(TEST_PLUGIN_BETA, "beta.so");
  }

  // A host where alpha fails as `failure` says, failover on.
  std::unique_ptr<AgentHost> make(test::EnvMap env) {
    env.emplace("ALPHA_PRIORITY", "10");
    env.emplace("MODEL_FAILOVER", "true");
    HostOptions options;
    options.pluginsDirectory = dir_.path();
    options.environment = test::mapEnvironment(std::move(env));
    options.logStream = &log_;
    auto host = std::make_unique<AgentHost>(std::move(options));
    host->events().subscribe([this](const ModelUsedEvent& event) { used_.push_back(event); });
    host->events().subscribeFailures(
        [this](const ModelFailedEvent& event) { failed_.push_back(event); });
    return host;
  }

  // The call; events delivered before it returns.
  ModelResult call(AgentHost& host, std::optional<std::string_view> provider = std::nullopt,
                   ModelType type = TextSmall, GenerateTextParams params = test::withPrompt("x")) {
    ModelResult result = host.runtime().useModel(type, std::move(params), provider, &info_);
    host.events().flush();
    return result;
  }

  // The call moved on from alpha to beta.
  void expectMovedOn(const ModelResult& result) {
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result.output().text, "beta/TEXT_SMALL: x");
    EXPECT_EQ(info_.provider, "beta");
    EXPECT_EQ(info_.attempts, 2);
  }

  // The call stayed with alpha and failed there.
  void expectStayed(const ModelResult& result) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(info_.provider, "alpha");
    EXPECT_EQ(info_.attempts, 1);
    EXPECT_TRUE(used_.empty());
  }

  test::TempDir dir_;
  std::ostringstream log_;
  CallInfo info_;
  std::vector<ModelUsedEvent> used_;
  std::vector<ModelFailedEvent> failed_;
};

TEST_F(FailoverTest, MovesOnAfterHttp429) {
  auto host = make({{"ALPHA_FAIL_STATUS", "429"}});
  expectMovedOn(call(*host));
}

TEST_F(FailoverTest, MovesOnAfterRateLimitWording) {
  // No status and an ordinary kind: the words alone say it.
  auto host = make({{"ALPHA_FAIL_WITH", "bad_response"},
                    {"ALPHA_FAIL_MESSAGE", "upstream said: Rate limit exceeded, slow down"}});
  expectMovedOn(call(*host));
}

TEST_F(FailoverTest, MovesOnAfterServerStatuses500502503504And529) {
  for (const char* status : {"500", "502", "503", "504", "529"}) {
    used_.clear();
    auto host = make({{"ALPHA_FAIL_STATUS", status}});
    SCOPED_TRACE(status);
    expectMovedOn(call(*host));
  }
}

TEST_F(FailoverTest, MovesOnAfterATimeout) {
  auto host = make({{"ALPHA_FAIL_WITH", "timeout"}});
  expectMovedOn(call(*host));
}

TEST_F(FailoverTest, MovesOnAfterAConnectionFailure) {
  auto host = make({{"ALPHA_FAIL_WITH", "unavailable"},
                    {"ALPHA_FAIL_MESSAGE", "cannot connect: connection refused"}});
  expectMovedOn(call(*host));
}

TEST_F(FailoverTest, NeverMovesOnAfterACancelledCall) {
  auto host = make({{"ALPHA_FAIL_WITH", "cancelled"}});
  expectStayed(call(*host));

  // Nor when the caller cancelled, whatever the provider made of it.
  auto cancelled = make({{"ALPHA_FAIL_STATUS", "503"}});
  GenerateTextParams params = test::withPrompt("x");
  params.cancellation = std::make_shared<CancellationToken>();
  params.cancellation->cancel();
  expectStayed(call(*cancelled, std::nullopt, TextSmall, std::move(params)));
}

TEST_F(FailoverTest, NeverMovesOnFromAnExplicitlyNamedProvider) {
  auto host = make({{"ALPHA_FAIL_STATUS", "503"}});
  expectStayed(call(*host, "alpha"));
}

TEST_F(FailoverTest, NeverMovesOnAfterAnOrdinaryBadRequest) {
  auto host = make({{"ALPHA_FAIL_STATUS", "400"}, {"ALPHA_FAIL_MESSAGE", "invalid payload"}});
  const ModelResult result = call(*host);
  expectStayed(result);
  EXPECT_EQ(result.error().kind, ErrorKind::BadRequest);
}

TEST_F(FailoverTest, NeverMovesOnForTextToSpeech) {
  auto host = make({{"ALPHA_SERVES", "TEXT_TO_SPEECH"},
                    {"BETA_SERVES", "TEXT_TO_SPEECH"},
                    {"ALPHA_FAIL_STATUS", "503"}});
  const ModelResult result = call(*host, std::nullopt, TextToSpeech);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(info_.provider, "alpha");
  EXPECT_EQ(info_.attempts, 1);
}

TEST_F(FailoverTest, TriesRegistrationsInResolutionOrder) {
  // gamma 20 > alpha 10 > beta 0; gamma and alpha fail; NANO falls back to SMALL for all three.
  dir_.copy(TEST_PLUGIN_GAMMA, "gamma.so");
  auto host = make({{"GAMMA_PRIORITY", "20"},
                    {"GAMMA_FAIL_STATUS", "502"},
                    {"ALPHA_FAIL_WITH", "rate_limited"}});
  const ModelResult result = call(*host, std::nullopt, TextNano);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "beta/TEXT_SMALL: x");
  EXPECT_EQ(info_.attempts, 3);
  ASSERT_EQ(used_.size(), 1u);
  ASSERT_EQ(used_[0].failedAttempts.size(), 2u);
  EXPECT_EQ(used_[0].failedAttempts[0].provider, "gamma");
  EXPECT_EQ(used_[0].failedAttempts[1].provider, "alpha");
}

TEST_F(FailoverTest, RecordsEveryAttemptInModelFailed) {
  auto host = make({{"ALPHA_FAIL_STATUS", "503"},
                    {"ALPHA_FAIL_MESSAGE", "alpha overloaded"},
                    {"BETA_FAIL_STATUS", "429"},
                    {"BETA_FAIL_MESSAGE", "beta throttled"}});
  const ModelResult result = call(*host);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().httpStatus, 429);
  ASSERT_EQ(failed_.size(), 1u);
  const ModelFailedEvent& event = failed_[0];
  EXPECT_EQ(event.provider, "beta");
  ASSERT_EQ(event.attempts.size(), 2u);
  EXPECT_EQ(event.attempts[0].provider, "alpha");
  EXPECT_EQ(event.attempts[0].type, TextSmall);
  EXPECT_EQ(event.attempts[0].kind, ErrorKind::Unavailable);
  EXPECT_EQ(event.attempts[0].httpStatus, 503);
  EXPECT_EQ(event.attempts[0].message, "alpha overloaded");
  EXPECT_EQ(event.attempts[1].provider, "beta");
  EXPECT_EQ(event.attempts[1].httpStatus, 429);
  EXPECT_EQ(event.attempts[1].message, "beta throttled");
  EXPECT_TRUE(event.trace.valid());
  EXPECT_TRUE(used_.empty());
}

TEST_F(FailoverTest, RecordsTheAttemptsLeftInModelUsed) {
  auto host = make({{"ALPHA_FAIL_STATUS", "504"}, {"ALPHA_FAIL_MESSAGE", "gateway timeout"}});
  expectMovedOn(call(*host));
  ASSERT_EQ(used_.size(), 1u);
  EXPECT_EQ(used_[0].provider, "beta");
  ASSERT_EQ(used_[0].failedAttempts.size(), 1u);
  EXPECT_EQ(used_[0].failedAttempts[0].provider, "alpha");
  EXPECT_EQ(used_[0].failedAttempts[0].httpStatus, 504);
  EXPECT_EQ(used_[0].failedAttempts[0].message, "gateway timeout");
  EXPECT_TRUE(failed_.empty());

  // The record belongs to that call only: the next one, which does not fail over, lists none.
  used_.clear();
  ASSERT_TRUE(call(*host, "beta").ok());
  ASSERT_EQ(used_.size(), 1u);
  EXPECT_TRUE(used_[0].failedAttempts.empty());
}

}  // namespace
}  // namespace agent::host
