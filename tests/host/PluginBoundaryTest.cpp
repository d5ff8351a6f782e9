// The plugin boundary of API 2, each case against a plugin built for real with the mistake: a
// changed copy of the headers, libstdc++ debug mode, clang++, an init that blocks, a throwing
// generateText, a disabled plugin's static constructor, no model types, a thread left running,
// and plugin files other users could write.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <thread>

#include "agent/host/AgentHost.hpp"
#include "agent/test/ProcessRunner.hpp"
#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using test::EnvMap;
using test::TempDir;
using Status = PluginReport::Status;
namespace fs = std::filesystem;

class PluginBoundaryTest : public ::testing::Test {
 protected:
  AgentHost& load(EnvMap env = {}) {
    host_.reset();
    log_.str("");
    HostOptions options;
    options.pluginsDirectory = dir_.path();
    options.environment = test::mapEnvironment(std::move(env));
    options.logLevel = LogLevel::Trace;
    options.logStream = &log_;
    host_ = std::make_unique<AgentHost>(std::move(options));
    return *host_;
  }

  const PluginReport& report(const std::string& file) {
    const auto& plugins = host_->plugins();
    const auto it = std::find_if(plugins.begin(), plugins.end(),
                                 [&](const PluginReport& r) { return r.path.filename() == file; });
    if (it == plugins.end()) throw std::runtime_error("no report for " + file);
    return *it;
  }

  bool logHas(const std::string& text) const { return log_.str().find(text) != std::string::npos; }

  TempDir dir_;
  std::ostringstream log_;
  std::unique_ptr<AgentHost> host_;
};

// --- Built against other headers or another standard library --------------------------------

TEST_F(PluginBoundaryTest, ChangedHeaderCopyIsSkippedBeforeTheManifestIsRead) {
  const auto path = dir_.copy(TEST_PLUGIN_CHANGED_HEADERS, "changed.so");
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load();
  const auto& plugin = report("changed.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_NE(plugin.reason.find("built against other plugin-api headers"), std::string::npos)
      << plugin.reason;
  EXPECT_NE(plugin.reason.find("rebuild"), std::string::npos) << plugin.reason;
  EXPECT_TRUE(plugin.name.empty());  // the manifest was not read
  EXPECT_FALSE(test::isMapped(path));
  EXPECT_EQ(report("alpha.so").status, Status::Loaded);
}

// Changes that keep every size and offset: a field in a struct's tail padding, a field retyped to
// one of the same size, an enumerator appended after the last one.
class SameSizeHeaderChangeTest : public PluginBoundaryTest,
                                 public ::testing::WithParamInterface<const char*> {};

TEST_P(SameSizeHeaderChangeTest, IsSkippedBeforeTheManifestIsRead) {
  const auto path = dir_.copy(GetParam(), "changed.so");
  load();
  const auto& plugin = report("changed.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_NE(plugin.reason.find("built against other plugin-api headers"), std::string::npos)
      << plugin.reason;
  EXPECT_NE(plugin.reason.find("rebuild"), std::string::npos) << plugin.reason;
  EXPECT_TRUE(plugin.name.empty());  // the manifest was not read
  EXPECT_FALSE(test::isMapped(path));
}

INSTANTIATE_TEST_SUITE_P(Copies, SameSizeHeaderChangeTest,
                         ::testing::Values(TEST_PLUGIN_TAIL_PADDING, TEST_PLUGIN_RETYPED,
                                           TEST_PLUGIN_ENUMERATOR));

TEST_F(PluginBoundaryTest, DebugModeStandardLibraryIsSkippedWithTheReason) {
  const auto path = dir_.copy(TEST_PLUGIN_DEBUG_MODE, "debug.so");
  load();
  const auto& plugin = report("debug.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_NE(plugin.reason.find("C++ ABI tag"), std::string::npos) << plugin.reason;
  EXPECT_NE(plugin.reason.find("_GLIBCXX_DEBUG"), std::string::npos) << plugin.reason;
  EXPECT_FALSE(test::isMapped(path));
}

TEST_F(PluginBoundaryTest, PluginBuiltWithClangLoadsAndWorks) {
  if (std::string(TEST_PLUGIN_CLANG).empty()) GTEST_SKIP() << "no clang++ on this machine";
  dir_.copy(TEST_PLUGIN_CLANG, "clang.so");
  auto& host = load();
  ASSERT_EQ(report("clang.so").status, Status::Loaded) << report("clang.so").reason;
  const auto result = host.runtime().useModel(ModelType::TextSmall, test::withPrompt("hi"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "clang/TEXT_SMALL: hi");
}

// --- Init ------------------------------------------------------------------------------------

TEST_F(PluginBoundaryTest, InitThatBlocksIsSkippedAfterTheTimeoutAndTheOthersServe) {
  dir_.copy(TEST_PLUGIN_INIT_BLOCKS, "10-blocks.so");
  dir_.copy(TEST_PLUGIN_ALPHA, "20-alpha.so");
  const auto start = std::chrono::steady_clock::now();
  auto& host = load({{"AGENT_PLUGIN_INIT_TIMEOUT_MS", "200"}});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(report("10-blocks.so").status, Status::Skipped);
  EXPECT_NE(report("10-blocks.so").reason.find("init did not finish in 200 ms"), std::string::npos)
      << report("10-blocks.so").reason;
  EXPECT_EQ(report("20-alpha.so").status, Status::Loaded);
  EXPECT_TRUE(host.runtime().useModel(ModelType::TextSmall, test::withPrompt("x")).ok());
}

// Each init waits for the other's to start: with inits one after the other, both fail.
TEST_F(PluginBoundaryTest, SlowInitsOfSeveralPluginsOverlap) {
  dir_.copy(TEST_PLUGIN_MEETS_A, "10-meeta.so");
  dir_.copy(TEST_PLUGIN_MEETS_B, "20-meetb.so");
  const auto start = std::chrono::steady_clock::now();
  load({{"RENDEZVOUS_DIR", dir_.path().string()}});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(report("10-meeta.so").status, Status::Loaded) << report("10-meeta.so").reason;
  EXPECT_EQ(report("20-meetb.so").status, Status::Loaded) << report("20-meetb.so").reason;
  // Registration keeps the filename order: equal priorities tie the same way every time.
  std::vector<std::string> ranked;
  for (const auto& registration : host_->registry().ranked(ModelType::TextSmall))
    ranked.push_back(registration.providerName);
  EXPECT_EQ(ranked, (std::vector<std::string>{"meeta", "meetb"}));
  std::cout << "[ figures  ] two overlapping inits took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
}

// An init that times out keeps running and calls the host's services after the host is gone.
TEST_F(PluginBoundaryTest, TimedOutInitOutlivesTheHostSafely) {
  dir_.copy(TEST_PLUGIN_MEETS_A, "meeta.so");  // waits 5 s for a partner that never comes
  load({{"AGENT_PLUGIN_INIT_TIMEOUT_MS", "100"}, {"RENDEZVOUS_DIR", dir_.path().string()}});
  EXPECT_EQ(report("meeta.so").status, Status::Skipped);
  host_.reset();
  // The init ends (and its plugin reads a setting and logs) with the host destroyed; under the
  // sanitizers a use of the freed host is a report.
  std::this_thread::sleep_for(std::chrono::milliseconds(5300));
}

TEST_F(PluginBoundaryTest, BadInitTimeoutIsAWarningAndTheDefault) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load({{"AGENT_PLUGIN_INIT_TIMEOUT_MS", "soon"}});
  EXPECT_EQ(report("alpha.so").status, Status::Loaded);
  EXPECT_TRUE(logHas("AGENT_PLUGIN_INIT_TIMEOUT_MS")) << log_.str();
}

TEST_F(PluginBoundaryTest, BreadcrumbBeforeEachInit) {
  const auto path = dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load();
  EXPECT_TRUE(logHas("loading alpha from " + path.string())) << log_.str();
}

// --- A plugin that ends the process ----------------------------------------------------------

TEST_F(PluginBoundaryTest, ThrowingGenerateTextIsNamedInTheLastLine) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  dir_.copy(TEST_PLUGIN_THROWS, "thrower.so");
  EXPECT_DEATH(
      {
        auto& host = load();
        static_cast<void>(host.runtime().useModel(ModelType::TextSmall, test::withPrompt("hi")));
      },
      // The death test runs in a fresh process with its own temporary directory.
      "terminated inside plugin 'thrower' \\([^)]*/thrower.so\\): std::runtime_error: boom "
      "from generateText: hi [^\n]*\n?$");
}

// Each crash inside a call into a plugin: one line naming the plugin, its file and the call, then
// the signal's default action (so a core dump is still written).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// The sanitizers report some faults themselves and exit with their own code.
#define EXPECT_KILLED_BY(signal) [](int) { return true; }
#else
#define EXPECT_KILLED_BY(signal) ::testing::KilledBySignal(signal)
#endif

class PluginCrashTest : public PluginBoundaryTest,
                        public ::testing::WithParamInterface<std::pair<const char*, int>> {};

TEST_P(PluginCrashTest, CrashInGenerateTextNamesThePluginAndTheCall) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto [how, signal] = GetParam();
  dir_.copy(TEST_PLUGIN_CRASHER, "crasher.so");
  const std::string signalName = how == std::string("abort")  ? "SIGABRT"
                                 : how == std::string("segv") ? "SIGSEGV"
                                 : how == std::string("bus")  ? "SIGBUS"
                                 : how == std::string("fpe")  ? "SIGFPE"
                                                              : "SIGILL";
  EXPECT_EXIT(
      {
        auto& host = load({{"CRASHER_CRASH", how}});
        (void)host.runtime().useModel(ModelType::TextSmall, test::withPrompt("hi"));
      },
      EXPECT_KILLED_BY(signal),
      "agent-host: plugin 'crasher' \\([^)]*/crasher.so\\) crashed with " + signalName +
          " \\([a-z ]+\\) in generateText");
}

INSTANTIATE_TEST_SUITE_P(EachWay, PluginCrashTest,
                         ::testing::Values(std::pair<const char*, int>{"abort", SIGABRT},
                                           std::pair<const char*, int>{"segv", SIGSEGV},
                                           std::pair<const char*, int>{"bus", SIGBUS},
                                           std::pair<const char*, int>{"fpe", SIGFPE},
                                           std::pair<const char*, int>{"ill", SIGILL}));

TEST_F(PluginBoundaryTest, ExitInsideAPluginCallIsNamed) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  dir_.copy(TEST_PLUGIN_CRASHER, "crasher.so");
  EXPECT_EXIT(
      {
        auto& host = load({{"CRASHER_CRASH", "exit"}});
        (void)host.runtime().useModel(ModelType::TextSmall, test::withPrompt("hi"));
      },
      ::testing::ExitedWithCode(3),
      "agent-host: plugin 'crasher' \\([^)]*/crasher.so\\) called exit\\(\\) in generateText");
}

TEST_F(PluginBoundaryTest, CrashInCreateNamesTheCall) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  dir_.copy(TEST_PLUGIN_CRASHER, "crasher.so");
  EXPECT_EXIT(load({{"CRASHER_CRASH", "segv"}, {"CRASHER_CRASH_IN", "create"}}),
              EXPECT_KILLED_BY(SIGSEGV),
              "plugin 'crasher' \\([^)]*/crasher.so\\) crashed with SIGSEGV [^\n]* in create");
}

TEST_F(PluginBoundaryTest, CrashOutsidePluginsIsLeftAlone) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  dir_.copy(TEST_PLUGIN_CRASHER, "crasher.so");
  EXPECT_EXIT(
      {
        load();
        std::abort();
      },
      EXPECT_KILLED_BY(SIGABRT), "^$");  // nothing printed
}

// --- Disabled plugins are never loaded --------------------------------------------------------

TEST_F(PluginBoundaryTest, DisabledPluginsStaticConstructorNeverRuns) {
  const auto path = dir_.copy(TEST_PLUGIN_MARKER, "marker.so");
  const fs::path marker = dir_.path() / "marker-was-loaded";
  ::setenv("AGENT_TEST_MARKER_FILE", marker.c_str(), 1);
  load();
  EXPECT_EQ(report("marker.so").status, Status::Disabled);
  EXPECT_EQ(report("marker.so").name, "marker");  // the manifest was read from the file
  EXPECT_EQ(report("marker.so").settings.size(), 1u);
  EXPECT_EQ(report("marker.so").declaredModelTypes,
            (std::vector<ModelType>{ModelType::TextSmall, ModelType::TextLarge}));
  EXPECT_FALSE(fs::exists(marker)) << "the disabled plugin's static constructor ran";
  EXPECT_FALSE(test::isMapped(path));

  load({{"MARKER_KEY", "1"}});  // enabled: loaded, so its static constructor runs
  EXPECT_EQ(report("marker.so").status, Status::Loaded);
  EXPECT_TRUE(fs::exists(marker));
  ::unsetenv("AGENT_TEST_MARKER_FILE");
}

// --- Plugins that load but misbehave ----------------------------------------------------------

TEST_F(PluginBoundaryTest, NoModelTypesIsAWarning) {
  dir_.copy(TEST_PLUGIN_NO_TYPES, "notypes.so");
  load();
  EXPECT_EQ(report("notypes.so").status, Status::Loaded);
  EXPECT_TRUE(logHas("supportedModelTypes() is empty")) << log_.str();
  EXPECT_TRUE(logHas("supportedModelTypes() differs from the manifest's modelTypes")) << log_.str();
  EXPECT_TRUE(logHas("WARN")) << log_.str();
}

TEST_F(PluginBoundaryTest, ThreadLeftRunningAtUnloadIsNamedAndTheLibraryStays) {
  const auto path = dir_.copy(TEST_PLUGIN_LEAVES_THREAD, "leaver.so");
  load({{"AGENT_CHECK_PLUGIN_THREADS", "true"}});
  ASSERT_EQ(report("leaver.so").status, Status::Loaded) << report("leaver.so").reason;
  host_->registry().unregisterProvider("leaver");  // the provider is destroyed here
  EXPECT_TRUE(logHas("leaver (" + path.string() + ") left 1 thread(s) running")) << log_.str();
  EXPECT_TRUE(logHas("join every thread you start in your destructor")) << log_.str();
  EXPECT_TRUE(test::isMapped(path));  // unmapping it would crash the thread
}

// The thread check is off in release builds: a thread left running must not crash the process at
// exit all the same (the library is never unmapped).
TEST_F(PluginBoundaryTest, ThreadLeftRunningNeverCrashesAReleaseHostAtExit) {
  dir_.copy(TEST_PLUGIN_LEAVES_THREAD, "leaver.so");
  int crashes = 0;
  std::string lastError;
  for (int run = 0; run < 40; ++run) {
    const auto result =
        test::runProcess(AGENT_HOST_EXE, {"--plugins-dir", dir_.path().string(), "generate", "hi"},
                         {{"AGENT_CHECK_PLUGIN_THREADS", "false"}, {"PATH", "/usr/bin:/bin"}});
    if (result.exitCode != 0) {
      ++crashes;
      lastError = "exit " + std::to_string(result.exitCode) + ": " + result.err;
    }
  }
  EXPECT_EQ(crashes, 0) << lastError;
}

TEST_F(PluginBoundaryTest, WellBehavedPluginPassesTheThreadCheck) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load({{"AGENT_CHECK_PLUGIN_THREADS", "true"}});
  host_.reset();
  EXPECT_FALSE(logHas("thread(s) running")) << log_.str();
}

// --- Dependencies -----------------------------------------------------------------------------

// First: once loaded, a library with the same soname would satisfy the dependency.
TEST_F(PluginBoundaryTest, MissingDependencyIsALoadFailureWithAHint) {
  dir_.copy(TEST_PLUGIN_NEEDS_DEPENDENCY, "needsdep.so");
  load();
  const auto& plugin = report("needsdep.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_NE(plugin.reason.find(fs::path(TEST_DEPENDENCY_LIBRARY).filename().string()),
            std::string::npos)
      << plugin.reason;
  EXPECT_NE(plugin.reason.find("a library the plugin needs is missing"), std::string::npos)
      << plugin.reason;
  EXPECT_EQ(plugin.reason.find("Bad file descriptor"), std::string::npos) << plugin.reason;
}

TEST_F(PluginBoundaryTest, DependencyShippedBesideThePluginIsFound) {
  dir_.copy(TEST_PLUGIN_NEEDS_DEPENDENCY, "needsdep.so");
  dir_.copy(TEST_DEPENDENCY_LIBRARY, fs::path(TEST_DEPENDENCY_LIBRARY).filename().string());
  load();
  EXPECT_EQ(report("needsdep.so").status, Status::Loaded) << report("needsdep.so").reason;
}

// --- Permissions ------------------------------------------------------------------------------

TEST_F(PluginBoundaryTest, GroupWritablePluginIsRefusedWithTheFix) {
  const auto path = dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "beta.so");
  fs::permissions(path, fs::perms::group_write, fs::perm_options::add);
  load();
  const auto& plugin = report("alpha.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_NE(plugin.reason.find("writable by group or others"), std::string::npos) << plugin.reason;
  EXPECT_NE(plugin.reason.find("chmod go-w " + path.string()), std::string::npos) << plugin.reason;
  EXPECT_NE(plugin.reason.find("AGENT_PLUGINS_INSECURE=true"), std::string::npos) << plugin.reason;
  EXPECT_EQ(report("beta.so").status, Status::Loaded);

  load({{"AGENT_PLUGINS_INSECURE", "true"}});  // the documented development switch
  EXPECT_EQ(report("alpha.so").status, Status::Loaded);
}

TEST_F(PluginBoundaryTest, OtherWritableDirectoryIsRefused) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  fs::permissions(dir_.path(), fs::perms::others_write, fs::perm_options::add);
  load();
  ASSERT_EQ(host_->plugins().size(), 1u);
  EXPECT_EQ(host_->plugins()[0].path, dir_.path());
  EXPECT_NE(host_->plugins()[0].reason.find("chmod go-w " + dir_.path().string()),
            std::string::npos)
      << host_->plugins()[0].reason;
  EXPECT_FALSE(host_->registry().hasProvider("alpha"));
  fs::permissions(dir_.path(), fs::perms::others_write, fs::perm_options::remove);
}

TEST_F(PluginBoundaryTest, FileOwnedByAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root can give a file to another user";
  const auto path = dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
  load();
  EXPECT_EQ(report("alpha.so").status, Status::Skipped);
  EXPECT_NE(report("alpha.so").reason.find("owned by uid 65534"), std::string::npos)
      << report("alpha.so").reason;
}

}  // namespace
}  // namespace agent::host
