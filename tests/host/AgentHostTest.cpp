#include "agent/host/AgentHost.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using enum ModelType;

class AgentHostTest : public ::testing::Test {
 protected:
  std::unique_ptr<AgentHost> make(test::EnvMap env, Character character = {}) {
    HostOptions options;
    options.pluginsDirectory = dir_.path();
    options.character = std::move(character);
    options.environment = test::mapEnvironment(std::move(env));
    options.logStream = &log_;
    return std::make_unique<AgentHost>(std::move(options));
  }

  test::TempDir dir_;
  std::ostringstream log_;
};

TEST_F(AgentHostTest, ThrowingModelUsedSubscriberDoesNotBreakTheCall) {
  dir_.copy(ECHO_PLUGIN, "echo.so");
  auto host = make({{"ECHO_PROVIDER", "1"}});
  int later = 0;
  host->events().subscribe([](const ModelUsedEvent&) { throw std::runtime_error("listener bug"); });
  host->events().subscribe([&later](const ModelUsedEvent&) { ++later; });
  const auto result = host->runtime().useModel(TextSmall, test::withPrompt("still fine"));
  host->events().flush();  // events are delivered off the call's thread
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.output().text, "echo: still fine");
  EXPECT_EQ(later, 1);
  EXPECT_NE(log_.str().find("listener bug"), std::string::npos) << log_.str();
}

// An application embedding the host hears of problems, not of each plugin loaded.
TEST_F(AgentHostTest, AnEmbeddedHostLogsWarningsButNoInfoByDefault) {
  dir_.copy(ECHO_PLUGIN, "echo.so");
  dir_.write("junk.so", "junk");
  auto host = make({{"ECHO_PROVIDER", "1"}});
  ASSERT_TRUE(host->runtime().useModel(TextSmall, test::withPrompt("hi")).ok());
  EXPECT_EQ(log_.str().find("INFO"), std::string::npos) << log_.str();
  EXPECT_NE(log_.str().find("junk.so"), std::string::npos) << log_.str();  // the skip warns
}

// Two real plugins: alpha outranks beta and fails with a retryable kind.
TEST_F(AgentHostTest, FailoverBetweenRealPluginsIsOffByDefault) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "beta.so");
  auto host = make({{"ALPHA_PRIORITY", "10"}, {"ALPHA_FAIL_WITH", "unavailable"}});
  CallInfo info;
  const auto result =
      host->runtime().useModel(TextSmall, test::withPrompt("x"), std::nullopt, &info);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable);
  EXPECT_EQ(info.provider, "alpha");
  EXPECT_EQ(info.attempts, 1);
}

TEST_F(AgentHostTest, FailoverBetweenRealPluginsWhenEnabled) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "beta.so");
  auto host = make(
      {{"ALPHA_PRIORITY", "10"}, {"ALPHA_FAIL_WITH", "unavailable"}, {"MODEL_FAILOVER", "true"}});
  std::vector<std::string> used;
  host->events().subscribe([&used](const ModelUsedEvent& e) { used.push_back(e.provider); });
  CallInfo info;
  const auto result =
      host->runtime().useModel(TextLarge, test::withPrompt("x"), std::nullopt, &info);
  host->events().flush();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "beta/TEXT_LARGE: x");
  EXPECT_EQ(info.provider, "beta");
  EXPECT_EQ(info.attempts, 2);
  EXPECT_EQ(used, (std::vector<std::string>{"beta"}));
}

TEST_F(AgentHostTest, FailoverDoesNotCoverNonRetryableFailures) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "beta.so");
  auto host =
      make({{"ALPHA_PRIORITY", "10"}, {"ALPHA_FAIL_WITH", "auth"}, {"MODEL_FAILOVER", "true"}});
  const auto result = host->runtime().useModel(TextSmall, test::withPrompt("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Auth);
}

TEST_F(AgentHostTest, CharacterSettingsReachPlugins) {
  dir_.copy(ECHO_PLUGIN, "echo.so");
  Character character;
  character.name = "Eliza";
  character.secrets = {{"ECHO_PROVIDER", "on"}};
  auto host = make({}, character);
  EXPECT_EQ(host->plugins()[0].status, PluginReport::Status::Loaded);
  EXPECT_EQ(host->settings().character().name, "Eliza");
}

TEST_F(AgentHostTest, EmptyPluginsDirectoryMeansNoProvider) {
  auto host = make({});
  EXPECT_TRUE(host->plugins().empty());
  const auto result = host->runtime().useModel(TextSmall, test::withPrompt("x"));
  EXPECT_EQ(result.error().kind, ErrorKind::NoProvider);
}

TEST_F(AgentHostTest, ConcurrentCallsThroughARealPlugin) {
  dir_.copy(ECHO_PLUGIN, "echo.so");
  auto host = make({{"ECHO_PROVIDER", "1"}});
  std::atomic<int> events = 0;
  host->events().subscribe([&events](const ModelUsedEvent&) { ++events; });
  std::atomic<int> good = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const auto prompt = std::to_string(t) + ":" + std::to_string(i);
        const auto result = host->runtime().useModel(TextSmall, test::withPrompt(prompt));
        if (result.ok() && result.output().text == "echo: " + prompt) ++good;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  host->events().flush();
  EXPECT_EQ(good, 400);
  EXPECT_EQ(events, 400);
}

TEST(DefaultPluginsDirectoryTest, SettingOverridesTheDefault) {
  const Settings settings({}, test::mapEnvironment({{"AGENT_PLUGINS_DIR", "/opt/plugins"}}));
  EXPECT_EQ(defaultPluginsDirectory(settings), "/opt/plugins");
}

TEST(DefaultPluginsDirectoryTest, DefaultsBesideTheExecutable) {
  const Settings settings({}, test::mapEnvironment({}));
  const auto binDir = std::filesystem::read_symlink("/proc/self/exe").parent_path();
  const auto result = defaultPluginsDirectory(settings);
  const auto buildLayout = (binDir.parent_path() / "plugins").lexically_normal();
  const auto installLayout = (binDir / AGENT_INSTALLED_PLUGINS_RELDIR_FOR_TEST).lexically_normal();
  EXPECT_TRUE(result == buildLayout || result == installLayout) << result;
}

TEST(DefaultPluginsDirectoryTest, BlankSettingIsIgnored) {
  const Settings settings({}, test::mapEnvironment({{"AGENT_PLUGINS_DIR", " "}}));
  EXPECT_NE(defaultPluginsDirectory(settings), " ");
}

}  // namespace
}  // namespace agent::host
