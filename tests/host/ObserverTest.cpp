// Plugins that observe, and the events they see: MODEL_REGISTERED with metadata (replayed to
// observers attached late), MODEL_USED and MODEL_FAILED off the call's thread, tool runs, trace
// context, the bounded queue, and delivery of what is queued when the host goes away.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "agent/host/AgentHost.hpp"
#include "agent/host/ToolLoop.hpp"
#include "agent/testing/LoadPluginForTest.hpp"
#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using enum ModelType;

std::string hex(const std::array<std::uint8_t, 8>& bytes) {
  std::string text;
  TraceContext::appendHex(text, bytes.data(), bytes.size());
  return text;
}

// An observer living in the test, for what a file line cannot carry.
class Recorder final : public EventObserver {
 public:
  void onModelRegistered(const ModelRegisteredEvent& e) noexcept override {
    std::lock_guard lock(mutex_);
    registered.push_back(e);
  }
  void onModelUsed(const ModelUsedEvent& e) noexcept override {
    std::lock_guard lock(mutex_);
    used.push_back(e);
  }
  void onToolStarted(const ToolStartedEvent& e) noexcept override {
    std::lock_guard lock(mutex_);
    started.push_back(e);
  }
  void onToolEnded(const ToolEndedEvent& e) noexcept override {
    std::lock_guard lock(mutex_);
    ended.push_back(e);
  }
  void onRunStarted(const RunStartedEvent& e) noexcept override {
    std::lock_guard lock(mutex_);
    runsStarted.push_back(e);
  }
  void onRunEnded(const RunEndedEvent& e) noexcept override {
    std::lock_guard lock(mutex_);
    runsEnded.push_back(e);
  }

  std::mutex mutex_;
  std::vector<ModelRegisteredEvent> registered;
  std::vector<ModelUsedEvent> used;
  std::vector<ToolStartedEvent> started;
  std::vector<ToolEndedEvent> ended;
  std::vector<RunStartedEvent> runsStarted;
  std::vector<RunEndedEvent> runsEnded;
};

class ObserverTest : public ::testing::Test {
 protected:
  std::unique_ptr<AgentHost> make(test::EnvMap env, std::string characterName = "") {
    env.emplace("WATCHER_EVENTS_FILE", eventsFile().string());
    HostOptions options;
    options.character.name = std::move(characterName);
    options.pluginsDirectory = plugins_.path();
    options.environment = test::mapEnvironment(std::move(env));
    options.logStream = &log_;
    return std::make_unique<AgentHost>(std::move(options));
  }

  std::filesystem::path eventsFile() const { return files_.path() / "events.txt"; }

  std::vector<std::string> lines() const {
    std::ifstream in(eventsFile());
    std::vector<std::string> result;
    for (std::string line; std::getline(in, line);)
      result.push_back(line);
    return result;
  }

  std::vector<std::string> linesStartingWith(std::string_view prefix) const {
    std::vector<std::string> result;
    for (const auto& line : lines()) {
      if (line.rfind(prefix, 0) == 0) result.push_back(line);
    }
    return result;
  }

  test::TempDir plugins_;
  test::TempDir files_;
  std::ostringstream log_;
};

TEST_F(ObserverTest, AnObserverPluginSeesEveryRegistrationWithItsMetadata) {
  plugins_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  plugins_.copy(ECHO_PLUGIN, "echo.so");
  plugins_.copy(TEST_PLUGIN_WATCHER, "watcher.so");
  auto host = make({{"ECHO_PROVIDER", "1"}});
  host->events().flush();
  const auto registered = linesStartingWith("registered ");
  // alpha: 2 types, echo: 7, watcher: 2 (it is a provider too); load order alpha, echo, watcher.
  ASSERT_EQ(registered.size(), 11u);
  EXPECT_EQ(registered[0], "registered TEXT_SMALL alpha alpha-model");
  EXPECT_EQ(registered[1], "registered TEXT_LARGE alpha alpha-model");
  EXPECT_EQ(registered[2], "registered TEXT_NANO echo echo-1");
  EXPECT_EQ(registered[10], "registered TEXT_LARGE watcher watcher-model");
}

TEST_F(ObserverTest, AnObserverAttachedLaterGetsTheRegistrationsReplayed) {
  plugins_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  plugins_.copy(ECHO_PLUGIN, "echo.so");
  auto host = make({{"ECHO_PROVIDER", "1"}, {"ECHO_PRIORITY", "-1.5"}});
  auto recorder = std::make_shared<Recorder>();
  host->events().addObserver(recorder);
  host->events().flush();
  ASSERT_EQ(recorder->registered.size(), 9u);
  EXPECT_EQ(recorder->registered[0].provider, "alpha");
  EXPECT_EQ(recorder->registered[1].type, TextLarge);
  EXPECT_EQ(recorder->registered[1].metadata.contextWindowTokens, 8192);
  const ModelRegisteredEvent& echo = recorder->registered[2];
  EXPECT_EQ(echo.provider, "echo");
  EXPECT_EQ(echo.priority, -1.5);
  EXPECT_EQ(echo.metadata.displayModel, "echo-1");
  EXPECT_EQ(echo.metadata.local, true);
  EXPECT_EQ(echo.metadata.streamable, true);

  // The registry's table says the same, in resolution order: alpha (0) before echo (-1.5).
  const auto table = host->registry().getModelRegistrations();
  ASSERT_EQ(table.size(), 9u);
  EXPECT_EQ(table[0].type, TextNano);
  EXPECT_EQ(table[0].provider, "echo");
  std::vector<std::string> small;
  for (const auto& row : table) {
    if (row.type == TextSmall) small.push_back(row.provider + "@" + std::to_string(row.sequence));
  }
  EXPECT_EQ(small, (std::vector<std::string>{"alpha@0", "echo@3"}));
}

TEST_F(ObserverTest, ModelUsedAndFailedReachTheObserverPlugin) {
  plugins_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  plugins_.copy(TEST_PLUGIN_WATCHER, "watcher.so");
  auto host = make({{"WATCHER_FAIL_WITH", "auth"}});
  ASSERT_TRUE(host->runtime().useModel(TextSmall, test::withPrompt("hi"), "alpha").ok());
  ASSERT_FALSE(host->runtime().useModel(TextSmall, test::withPrompt("hi"), "watcher").ok());
  host->events().flush();
  const auto used = linesStartingWith("used ");
  ASSERT_EQ(used.size(), 1u);
  EXPECT_EQ(used[0].rfind("used alpha TEXT_SMALL failed=0 prompt=2 trace=00-", 0), 0u) << used[0];
  EXPECT_EQ(linesStartingWith("failed "),
            (std::vector<std::string>{"failed watcher auth attempts=1"}));
}

TEST_F(ObserverTest, ModelUsedCarriesThePromptCutTo200Characters) {
  plugins_.copy(ECHO_PLUGIN, "echo.so");
  plugins_.copy(TEST_PLUGIN_WATCHER, "watcher.so");
  auto host = make({{"ECHO_PROVIDER", "1"}, {"ECHO_PRIORITY", "5"}});
  auto recorder = std::make_shared<Recorder>();
  host->events().addObserver(recorder);
  const std::string prompt(5000, 'p');
  ASSERT_TRUE(host->runtime().useModel(TextSmall, test::withPrompt(prompt)).ok());
  ASSERT_TRUE(host->runtime().useModel(TextSmall, test::withPrompt(prompt), "watcher").ok());
  host->events().flush();
  ASSERT_EQ(recorder->used.size(), 2u);
  for (const auto& event : recorder->used) {
    SCOPED_TRACE(event.provider);
    EXPECT_EQ(event.prompt, std::string(200, 'p'));
  }
}

TEST_F(ObserverTest, EveryCallHasItsOwnSpanAndACallersSpanIsItsParent) {
  plugins_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  auto host = make({});
  auto recorder = std::make_shared<Recorder>();
  host->events().addObserver(recorder);
  ASSERT_TRUE(host->runtime().useModel(TextSmall, test::withPrompt("a")).ok());
  ASSERT_TRUE(host->runtime().useModel(TextSmall, test::withPrompt("b")).ok());
  GenerateTextParams child = test::withPrompt("c");
  child.trace.traceId.fill(0xab);
  child.trace.spanId.fill(0xcd);
  ASSERT_TRUE(host->runtime().useModel(TextSmall, child).ok());
  host->events().flush();
  ASSERT_EQ(recorder->used.size(), 3u);
  const TraceContext& a = recorder->used[0].trace;
  const TraceContext& b = recorder->used[1].trace;
  const TraceContext& c = recorder->used[2].trace;
  EXPECT_TRUE(a.valid());
  EXPECT_FALSE(a.hasParent());
  EXPECT_NE(a.traceId, b.traceId);  // two calls, two traces
  EXPECT_EQ(c.traceId, child.trace.traceId);
  EXPECT_EQ(c.parentSpanId, child.trace.spanId);
  EXPECT_NE(c.spanId, child.trace.spanId);
}

TEST_F(ObserverTest, AToolLoopIsOneTraceWithModelCallsAndToolRunsAsChildren) {
  plugins_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  plugins_.copy(TEST_PLUGIN_WATCHER, "watcher.so");
  auto host = make({{"ALPHA_CALLS_TOOL", "lookup"}, {"ALPHA_PRIORITY", "1"}});
  auto recorder = std::make_shared<Recorder>();
  host->events().addObserver(recorder);
  TraceContext toolSaw;  // what the tool's context carried
  Tool lookup{{"lookup", "looks up", R"({"type":"object"})", {}},
              [&toolSaw](std::string_view, const ToolContext& context) {
                toolSaw = context.trace;
                return ToolOutcome::success("found");
              },
              false,
              "weather-mcp"};
  Tool broken{{"broken", "fails", R"({"type":"object"})", {}},
              [](std::string_view, const ToolContext&) { return ToolOutcome::failure("no"); }};
  const ToolLoopResult loop =
      runWithTools(host->runtime(), TextSmall, test::withPrompt("go"), {lookup, broken});
  ASSERT_TRUE(loop.result.ok()) << loop.result.error().message;
  EXPECT_EQ(loop.steps, 2);
  host->events().flush();

  ASSERT_EQ(recorder->used.size(), 2u);
  ASSERT_EQ(recorder->started.size(), 1u);
  ASSERT_EQ(recorder->ended.size(), 1u);
  const TraceContext& first = recorder->used[0].trace;
  const TraceContext& second = recorder->used[1].trace;
  const ToolStartedEvent& started = recorder->started[0];
  const ToolEndedEvent& ended = recorder->ended[0];
  // One trace; the model calls and the tool run share one parent: the loop's span.
  EXPECT_EQ(second.traceId, first.traceId);
  EXPECT_EQ(started.trace.traceId, first.traceId);
  EXPECT_TRUE(first.hasParent());
  EXPECT_EQ(second.parentSpanId, first.parentSpanId);
  EXPECT_EQ(started.trace.parentSpanId, first.parentSpanId);
  EXPECT_NE(started.trace.spanId, first.spanId);
  EXPECT_NE(first.spanId, second.spanId);

  EXPECT_EQ(started.tool, "lookup");
  EXPECT_EQ(started.callId, "call-1");
  EXPECT_EQ(started.source, "weather-mcp");
  EXPECT_EQ(ended.tool, "lookup");
  EXPECT_EQ(ended.source, "weather-mcp");
  EXPECT_FALSE(ended.failed);
  EXPECT_EQ(ended.trace.spanId, started.trace.spanId);
  EXPECT_GE(ended.duration.count(), 0);
  // The tool itself got its run's span, to forward (an MCP server's params._meta).
  EXPECT_EQ(toolSaw.traceparent(), started.trace.traceparent());

  // The run's span is the parent of all of them, and the root of the trace.
  ASSERT_EQ(recorder->runsStarted.size(), 1u);
  ASSERT_EQ(recorder->runsEnded.size(), 1u);
  const RunStartedEvent& runStart = recorder->runsStarted[0];
  const RunEndedEvent& runEnd = recorder->runsEnded[0];
  EXPECT_EQ(runStart.trace.traceId, first.traceId);
  EXPECT_EQ(runStart.trace.spanId, first.parentSpanId);
  EXPECT_FALSE(runStart.trace.hasParent());
  EXPECT_EQ(runEnd.trace.spanId, runStart.trace.spanId);
  EXPECT_EQ(runEnd.type, TextSmall);
  EXPECT_EQ(runEnd.steps, 2);
  EXPECT_EQ(runEnd.toolRuns, 1);
  EXPECT_EQ(runEnd.provider, "alpha");
  EXPECT_FALSE(runEnd.error.has_value());
  EXPECT_EQ(runEnd.startTime, runStart.startTime);

  // The observer plugin saw the same run.
  const auto toolLines = linesStartingWith("tool-");
  ASSERT_EQ(toolLines.size(), 2u);
  EXPECT_EQ(toolLines[0].rfind("tool-started lookup call-1 source=weather-mcp trace=00-", 0), 0u)
      << toolLines[0];
  EXPECT_NE(toolLines[0].find("parent=" + hex(first.parentSpanId)), std::string::npos);
  EXPECT_EQ(toolLines[1].rfind("tool-ended lookup call-1 failed=0", 0), 0u) << toolLines[1];
}

TEST_F(ObserverTest, AFailedToolRunIsReportedAsFailed) {
  plugins_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  auto host = make({{"ALPHA_CALLS_TOOL", "broken"}});
  auto recorder = std::make_shared<Recorder>();
  host->events().addObserver(recorder);
  Tool broken{{"broken", "fails", R"({"type":"object"})", {}},
              [](std::string_view, const ToolContext&) -> ToolOutcome {
                throw std::runtime_error("disk on fire");
              }};
  ASSERT_TRUE(
      runWithTools(host->runtime(), TextSmall, test::withPrompt("go"), {broken}).result.ok());
  host->events().flush();
  ASSERT_EQ(recorder->ended.size(), 1u);
  EXPECT_TRUE(recorder->ended[0].failed);
  EXPECT_NE(recorder->ended[0].error.find("disk on fire"), std::string::npos);
  EXPECT_TRUE(recorder->ended[0].source.empty());
}

// The test kit keeps what a plugin lends besides model handlers, so an author can drive an
// observer by hand.
TEST_F(ObserverTest, TheTestKitHandsOutThePluginsObserver) {
  const auto plugin = testing::loadPluginForTest(TEST_PLUGIN_WATCHER,
                                                 {{"WATCHER_EVENTS_FILE", eventsFile().string()}});
  ASSERT_TRUE(plugin->loaded()) << plugin->report.reason;
  ASSERT_NE(plugin->observer(), nullptr);
  EXPECT_EQ(plugin->tools(), nullptr);
  ToolEndedEvent ended;
  ended.tool = "lookup";
  ended.callId = "call-9";
  plugin->observer()->onToolEnded(ended);
  EXPECT_EQ(linesStartingWith("tool-ended lookup call-9 failed=0").size(), 1u);
}

TEST_F(ObserverTest, ARunThatFailsEndsWithItsErrorAndTheCharactersName) {
  plugins_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  auto host = make({{"ALPHA_CALLS_TOOL", "lookup"}}, "Ada");
  auto recorder = std::make_shared<Recorder>();
  host->events().addObserver(recorder);
  Tool lookup{{"lookup", "looks up", R"({"type":"object"})", {}},
              [](std::string_view, const ToolContext&) { return ToolOutcome::success("found"); }};
  ToolLoopOptions options;
  options.maxSteps = 1;  // the model asks for the tool again: the run fails
  const ToolLoopResult loop =
      runWithTools(host->runtime(), TextLarge, test::withPrompt("go"), {lookup}, options);
  ASSERT_FALSE(loop.result.ok());
  host->events().flush();
  ASSERT_EQ(recorder->runsEnded.size(), 1u);
  const RunEndedEvent& end = recorder->runsEnded[0];
  EXPECT_EQ(end.error, ErrorKind::BadResponse);
  EXPECT_EQ(end.errorMessage, loop.result.error().message);
  EXPECT_EQ(end.steps, 1);
  EXPECT_EQ(end.toolRuns, 0);
  EXPECT_EQ(end.type, TextLarge);
  EXPECT_EQ(end.agent, "Ada");
  ASSERT_EQ(recorder->runsStarted.size(), 1u);
  EXPECT_EQ(recorder->runsStarted[0].agent, "Ada");
}

// An observer that blocks in onModelUsed until released.
class Blocker final : public EventObserver {
 public:
  void onModelUsed(const ModelUsedEvent&) noexcept override {
    std::unique_lock lock(mutex_);
    ++entered_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return released_; });
  }
  void waitEntered() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return entered_ > 0; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int entered_ = 0;
  bool released_ = false;
};

TEST_F(ObserverTest, ASlowObserverNeverDelaysACallAndDropsAreCountedAndReported) {
  plugins_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  auto host = make({{"AGENT_EVENT_QUEUE_CAPACITY", "4"}});
  EXPECT_EQ(host->events().queueCapacity(), 4u);
  auto blocker = std::make_shared<Blocker>();
  host->events().addObserver(blocker);
  host->events().flush();  // the replayed registrations are out of the way
  ASSERT_TRUE(host->runtime().useModel(TextSmall, test::withPrompt("first")).ok());
  blocker->waitEntered();  // the dispatcher is stuck in the observer
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(host->runtime().useModel(TextSmall, test::withPrompt("x")).ok());
  }
  EXPECT_EQ(host->events().dropped(), 16u);  // 4 wait in the queue
  blocker->release();
  host->events().flush();
  // One warning at the first drop, not sixteen; the rest is reported when the host goes.
  const std::string log = log_.str();
  EXPECT_NE(log.find("1 event(s) dropped (1 in all): the event queue is full "
                     "(AGENT_EVENT_QUEUE_CAPACITY=4)"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("dropped", log.find("dropped") + 1), std::string::npos) << log;
  host.reset();
  EXPECT_NE(log_.str().find("15 event(s) dropped since the last report"), std::string::npos)
      << log_.str();
}

TEST_F(ObserverTest, AnUnusableQueueCapacityIsReportedAndTheDefaultUsed) {
  auto host = make({{"AGENT_EVENT_QUEUE_CAPACITY", "lots"}});
  EXPECT_EQ(host->events().queueCapacity(), EventBus::kDefaultQueueCapacity);
  EXPECT_NE(log_.str().find("ignoring AGENT_EVENT_QUEUE_CAPACITY"), std::string::npos);
}

TEST_F(ObserverTest, TheHostDeliversWhatIsQueuedBeforeItsPluginsGo) {
  plugins_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  plugins_.copy(TEST_PLUGIN_WATCHER, "watcher.so");
  {
    auto host = make({{"ALPHA_PRIORITY", "1"}});
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(host->runtime().useModel(TextSmall, test::withPrompt("x")).ok());
    }
  }  // no flush: the host's destructor delivers the rest
  EXPECT_EQ(linesStartingWith("used alpha").size(), 50u);
}

}  // namespace
}  // namespace agent::host
