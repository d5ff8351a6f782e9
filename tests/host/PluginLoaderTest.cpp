// The loader against real plugins built by this test tree, each copied into a fresh temporary
// directory so every test controls the file names (and so the load order) it scans.
#include "agent/host/PluginLoader.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "agent/host/AgentHost.hpp"
#include "loader/PluginDescriptor.hpp"
#include "loader/PluginFile.hpp"
#include "loader/PluginInit.hpp"
#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using test::EnvMap;
using test::TempDir;
using Status = PluginReport::Status;

class PluginLoaderTest : public ::testing::Test {
 protected:
  AgentHost& load(EnvMap env = {}, Character character = {}) {
    host_.reset();
    log_.str("");
    HostOptions options;
    options.pluginsDirectory = dir_.path();
    options.character = std::move(character);
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

  std::vector<std::string> rankedNames(ModelType type) {
    std::vector<std::string> names;
    for (const auto& r : host_->registry().ranked(type))
      names.push_back(r.providerName);
    return names;
  }

  std::size_t logLinesContaining(const std::string& text) const {
    std::istringstream lines(log_.str());
    std::size_t count = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.find(text) != std::string::npos) ++count;
    }
    return count;
  }

  TempDir dir_;
  std::ostringstream log_;
  std::unique_ptr<AgentHost> host_;
};

TEST_F(PluginLoaderTest, LoadsAGoodPlugin) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  auto& host = load();
  ASSERT_EQ(host.plugins().size(), 1u);
  const auto& plugin = host.plugins()[0];
  EXPECT_EQ(plugin.status, Status::Loaded) << plugin.reason;
  EXPECT_EQ(plugin.name, "alpha");
  EXPECT_EQ(plugin.version, "0.0.1");
  EXPECT_EQ(plugin.description, "test plugin");
  EXPECT_EQ(plugin.priority, 0);
  EXPECT_EQ(plugin.modelTypes,
            (std::vector<ModelType>{ModelType::TextSmall, ModelType::TextLarge}));
  EXPECT_EQ(rankedNames(ModelType::TextSmall), (std::vector<std::string>{"alpha"}));
  EXPECT_EQ(rankedNames(ModelType::TextLarge), (std::vector<std::string>{"alpha"}));
  const auto result = host.runtime().useModel(ModelType::TextSmall, test::withPrompt("hi"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "alpha/TEXT_SMALL: hi");
}

TEST_F(PluginLoaderTest, ReportsManifestSettingsWithoutValues) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load({{"TEST_SECRET_KEY", "sup3r-secret-value"}});
  const auto& plugin = report("alpha.so");
  ASSERT_EQ(plugin.settings.size(), 1u);
  EXPECT_EQ(plugin.settings[0].key, "TEST_SECRET_KEY");
  EXPECT_TRUE(plugin.settings[0].secret);
  EXPECT_EQ(log_.str().find("sup3r-secret-value"), std::string::npos) << log_.str();
}

TEST_F(PluginLoaderTest, EqualPrioritiesTieByFilenameOrder) {
  dir_.copy(TEST_PLUGIN_ALPHA, "20-alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "10-beta.so");
  load();
  EXPECT_EQ(rankedNames(ModelType::TextSmall), (std::vector<std::string>{"beta", "alpha"}));
  EXPECT_EQ(host_->plugins()[0].path.filename(), "10-beta.so");
  EXPECT_EQ(host_->runtime().useModel(ModelType::TextSmall, test::withPrompt("x")).output().text,
            "beta/TEXT_SMALL: x");
}

TEST_F(PluginLoaderTest, EqualPrioritiesTieByFilenameOrderReversed) {
  dir_.copy(TEST_PLUGIN_ALPHA, "10-alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "20-beta.so");
  load();
  EXPECT_EQ(rankedNames(ModelType::TextSmall), (std::vector<std::string>{"alpha", "beta"}));
}

TEST_F(PluginLoaderTest, PrioritySettingOverridesTheDefault) {
  dir_.copy(TEST_PLUGIN_ALPHA, "10-alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "20-beta.so");
  load({{"BETA_PRIORITY", "5"}, {"ALPHA_PRIORITY", " -3 "}});
  EXPECT_EQ(report("20-beta.so").priority, 5);
  EXPECT_EQ(report("10-alpha.so").priority, -3);
  EXPECT_EQ(rankedNames(ModelType::TextSmall), (std::vector<std::string>{"beta", "alpha"}));
  EXPECT_EQ(host_->registry().ranked(ModelType::TextSmall)[0].priority, 5);
}

TEST_F(PluginLoaderTest, PrioritySettingFromTheCharacterBeatsTheEnvironment) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  Character character;
  character.settings = {{"ALPHA_PRIORITY", "7"}};
  load({{"ALPHA_PRIORITY", "1"}}, character);
  EXPECT_EQ(report("alpha.so").priority, 7);
}

class BadPriorityTest : public PluginLoaderTest,
                        public ::testing::WithParamInterface<const char*> {};

TEST_P(BadPriorityTest, WarnsOnceNamingSettingAndValueAndUsesTheDefault) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load({{"ALPHA_PRIORITY", GetParam()}});
  EXPECT_EQ(report("alpha.so").status, Status::Loaded);
  EXPECT_EQ(report("alpha.so").priority, 0);
  EXPECT_EQ(logLinesContaining("ALPHA_PRIORITY"), 1u) << log_.str();
  EXPECT_EQ(logLinesContaining(std::string("\"") + GetParam() + "\""), 1u) << log_.str();
  EXPECT_EQ(logLinesContaining("WARN"), 1u) << log_.str();
}

INSTANTIATE_TEST_SUITE_P(NotNumbers, BadPriorityTest,
                         ::testing::Values("abc", "1,5", "5x", "0x10", "nan", "inf", "1e999"));

TEST_F(PluginLoaderTest, PrioritiesAreNumbers) {
  dir_.copy(TEST_PLUGIN_ALPHA, "10-alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "20-beta.so");
  dir_.copy(TEST_PLUGIN_FRACTION, "30-fraction.so");
  load({{"ALPHA_PRIORITY", "-1.75"}, {"BETA_PRIORITY", "1e2"}});
  EXPECT_EQ(report("10-alpha.so").priority, -1.75);
  EXPECT_EQ(report("20-beta.so").priority, 100);
  EXPECT_EQ(report("30-fraction.so").priority, -1.5);  // the manifest's default
  EXPECT_EQ(rankedNames(ModelType::TextSmall),
            (std::vector<std::string>{"beta", "fraction", "alpha"}));
  EXPECT_EQ(logLinesContaining("WARN"), 0u) << log_.str();
}

TEST_F(PluginLoaderTest, BlankPrioritySettingUsesTheDefaultSilently) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load({{"ALPHA_PRIORITY", "  "}});
  EXPECT_EQ(report("alpha.so").priority, 0);
  EXPECT_EQ(logLinesContaining("WARN"), 0u) << log_.str();
}

TEST_F(PluginLoaderTest, WrongAbiVersionIsSkippedBeforeAnythingElse) {
  dir_.copy(TEST_PLUGIN_WRONG_ABI, "wrong-abi.so");
  load();
  const auto& plugin = report("wrong-abi.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_NE(plugin.reason.find("plugin ABI version 4, host expects 3"), std::string::npos)
      << plugin.reason;
  EXPECT_TRUE(plugin.name.empty());  // the manifest was not read
}

TEST_F(PluginLoaderTest, WrongCxxAbiTagIsSkipped) {
  dir_.copy(TEST_PLUGIN_WRONG_TAG, "wrong-tag.so");
  load();
  const auto& plugin = report("wrong-tag.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_NE(plugin.reason.find("C++ ABI tag"), std::string::npos) << plugin.reason;
}

TEST_F(PluginLoaderTest, LibraryWithoutEntryIsSkipped) {
  dir_.copy(TEST_PLUGIN_NO_ENTRY, "no-entry.so");
  load();
  const auto& plugin = report("no-entry.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_NE(plugin.reason.find("not an agent-host plugin"), std::string::npos) << plugin.reason;
  EXPECT_NE(plugin.reason.find("did you forget AGENT_PLUGIN(...)?"), std::string::npos)
      << plugin.reason;
}

TEST_F(PluginLoaderTest, UndefinedSymbolIsSkippedWithTheLinkerMessage) {
  dir_.copy(TEST_PLUGIN_UNDEFINED, "undefined.so");
  load();
  const auto& plugin = report("undefined.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_NE(plugin.reason.find("undefined symbol"), std::string::npos) << plugin.reason;
  EXPECT_NE(plugin.reason.find("agent_test_symbol_that_does_not_exist"), std::string::npos)
      << plugin.reason;
  EXPECT_EQ(plugin.reason.find("Bad file descriptor"), std::string::npos) << plugin.reason;
  EXPECT_EQ(plugin.reason.find("boost::"), std::string::npos) << plugin.reason;
}

TEST_F(PluginLoaderTest, FailingInitIsSkippedWithItsReason) {
  const auto path = dir_.copy(TEST_PLUGIN_INIT_FAILS, "initfail.so");
  load();
  const auto& plugin = report("initfail.so");
  EXPECT_EQ(plugin.status, Status::Skipped);
  EXPECT_EQ(plugin.reason, "init failed: TEST init failure: missing TEST_REQUIRED_KEY");
  EXPECT_EQ(plugin.name, "initfail");
  EXPECT_TRUE(test::isMapped(path));  // its code ran: a library once loaded is never unmapped
  EXPECT_EQ(logLinesContaining("skipped " + path.string()), 1u) << log_.str();
}

TEST_F(PluginLoaderTest, TextFileNamedSoIsSkipped) {
  dir_.write("notes.so", "this is not an ELF file\n");
  dir_.write("empty.so", "");
  load();
  for (const char* file : {"notes.so", "empty.so"}) {
    EXPECT_EQ(report(file).status, Status::Skipped) << file;
    EXPECT_NE(report(file).reason.find("not a shared library"), std::string::npos)
        << report(file).reason;
  }
}

TEST_F(PluginLoaderTest, DirectoryNamedSoIsSkipped) {
  std::filesystem::create_directory(dir_.path() / "folder.so");
  load();
  EXPECT_EQ(report("folder.so").status, Status::Skipped);
  EXPECT_NE(report("folder.so").reason.find("directory"), std::string::npos);
}

TEST_F(PluginLoaderTest, SymlinkLoopAndDanglingLinkAreSkipped) {
  std::filesystem::create_symlink(dir_.path() / "loop-b.so", dir_.path() / "loop-a.so");
  std::filesystem::create_symlink(dir_.path() / "loop-a.so", dir_.path() / "loop-b.so");
  std::filesystem::create_symlink(dir_.path() / "missing", dir_.path() / "dangling.so");
  load();
  EXPECT_EQ(report("loop-a.so").status, Status::Skipped);
  EXPECT_NE(report("loop-a.so").reason.find("symbolic links"), std::string::npos)
      << report("loop-a.so").reason;
  EXPECT_EQ(report("dangling.so").status, Status::Skipped);
}

// A link is never followed: the checks and the load must see the same file, and a link can be
// pointed elsewhere between the two.
TEST_F(PluginLoaderTest, SymlinkToAPluginIsRefusedWithTheReason) {
  const auto real = dir_.copy(TEST_PLUGIN_ALPHA, "alpha.real");
  std::filesystem::create_symlink(real, dir_.path() / "alpha.so");
  load();
  EXPECT_EQ(report("alpha.so").status, Status::Skipped);
  EXPECT_NE(report("alpha.so").reason.find("is a symbolic link"), std::string::npos)
      << report("alpha.so").reason;
  EXPECT_FALSE(test::isMapped(real));
}

TEST_F(PluginLoaderTest, FifoNamedSoIsSkippedWithoutBlocking) {
  ASSERT_EQ(::mkfifo((dir_.path() / "pipe.so").c_str(), 0600), 0);
  load();
  EXPECT_EQ(report("pipe.so").status, Status::Skipped);
  EXPECT_NE(report("pipe.so").reason.find("not a regular file"), std::string::npos);
}

// Unreadable files: faults.BadPluginsDirTest, which also covers them when the suite runs as root
// (its scan runs in a child that drops to nobody).

TEST_F(PluginLoaderTest, OnlySoFilesAreConsidered) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so.1");
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.dll");
  dir_.write("README.md", "hello");
  dir_.write(".so", "hidden");
  load();
  EXPECT_TRUE(host_->plugins().empty());
}

TEST_F(PluginLoaderTest, FailuresDoNotStopTheOthers) {
  dir_.write("00-junk.so", "junk");
  dir_.copy(TEST_PLUGIN_WRONG_ABI, "10-wrong-abi.so");
  dir_.copy(TEST_PLUGIN_UNDEFINED, "20-undefined.so");
  dir_.copy(TEST_PLUGIN_INIT_FAILS, "30-initfail.so");
  dir_.copy(TEST_PLUGIN_ALPHA, "40-alpha.so");
  dir_.copy(TEST_PLUGIN_NO_ENTRY, "50-no-entry.so");
  dir_.copy(TEST_PLUGIN_BETA, "60-beta.so");
  load();
  std::vector<std::string> files;
  std::vector<Status> statuses;
  for (const auto& plugin : host_->plugins()) {
    files.push_back(plugin.path.filename().string());
    statuses.push_back(plugin.status);
  }
  EXPECT_EQ(files, (std::vector<std::string>{"00-junk.so", "10-wrong-abi.so", "20-undefined.so",
                                             "30-initfail.so", "40-alpha.so", "50-no-entry.so",
                                             "60-beta.so"}));
  EXPECT_EQ(statuses,
            (std::vector<Status>{Status::Skipped, Status::Skipped, Status::Skipped, Status::Skipped,
                                 Status::Loaded, Status::Skipped, Status::Loaded}));
  EXPECT_EQ(rankedNames(ModelType::TextSmall), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(logLinesContaining("skipped"), 5u) << log_.str();
}

TEST_F(PluginLoaderTest, MissingDirectoryGivesOneSkippedReport) {
  HostOptions options;
  options.pluginsDirectory = dir_.path() / "nope";
  options.environment = test::mapEnvironment({});
  options.logStream = &log_;
  AgentHost host(std::move(options));
  ASSERT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.plugins()[0].status, Status::Skipped);
  EXPECT_NE(host.plugins()[0].reason.find("plugins directory not found"), std::string::npos);
}

TEST_F(PluginLoaderTest, SecondPluginWithTheSameNameIsSkipped) {
  dir_.copy(TEST_PLUGIN_ALPHA, "a.so");
  dir_.copy(TEST_PLUGIN_ALPHA, "b.so");
  load();
  EXPECT_EQ(report("a.so").status, Status::Loaded);
  EXPECT_EQ(report("b.so").status, Status::Skipped);
  EXPECT_NE(report("b.so").reason.find("already loaded from " + (dir_.path() / "a.so").string()),
            std::string::npos)
      << report("b.so").reason;
  EXPECT_EQ(host_->registry().ranked(ModelType::TextSmall).size(), 1u);
}

// --- autoEnable -------------------------------------------------------------------------------

TEST_F(PluginLoaderTest, AutoEnableOffWhenNoKeyIsSet) {
  const auto path = dir_.copy(TEST_PLUGIN_GATED, "gated.so");
  load();
  const auto& plugin = report("gated.so");
  EXPECT_EQ(plugin.status, Status::Disabled);
  EXPECT_NE(plugin.reason.find("GATED_KEY or GATED_OTHER_KEY"), std::string::npos) << plugin.reason;
  EXPECT_FALSE(host_->registry().hasProvider("gated"));
  EXPECT_FALSE(test::isMapped(path));
}

TEST_F(PluginLoaderTest, AutoEnableOnWhenAnyKeyIsSet) {
  dir_.copy(TEST_PLUGIN_GATED, "gated.so");
  load({{"GATED_OTHER_KEY", "x"}});
  EXPECT_EQ(report("gated.so").status, Status::Loaded);
  load({{"GATED_KEY", "0"}});
  EXPECT_EQ(report("gated.so").status, Status::Loaded);
}

TEST_F(PluginLoaderTest, AutoEnableTreatsBlankAsUnset) {
  dir_.copy(TEST_PLUGIN_GATED, "gated.so");
  load({{"GATED_KEY", ""}, {"GATED_OTHER_KEY", " \t "}});
  EXPECT_EQ(report("gated.so").status, Status::Disabled);
}

TEST_F(PluginLoaderTest, AutoEnableLooksThroughSettings) {
  dir_.copy(TEST_PLUGIN_GATED, "gated.so");
  Character character;
  character.secrets = {{"GATED_KEY", "secret"}};
  load({}, character);
  EXPECT_EQ(report("gated.so").status, Status::Loaded);
  // A blank character value hides a set environment value (an empty string is a found value).
  Character blank;
  blank.settings = {{"GATED_KEY", ""}};
  load({{"GATED_KEY", "env"}}, blank);
  EXPECT_EQ(report("gated.so").status, Status::Disabled);
}

TEST_F(PluginLoaderTest, PluginWithoutKeysIsAlwaysEnabled) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load();
  EXPECT_TRUE(report("alpha.so").autoEnableKeys.empty());
  EXPECT_EQ(report("alpha.so").status, Status::Loaded);
}

// --- Unloading ----------------------------------------------------------------------------------

// A HostServices for driving PluginLoader without an AgentHost.
class QuietServices : public HostServices {
 public:
  explicit QuietServices(const Settings& settings) : settings_(settings) {}
  std::optional<std::string> setting(std::string_view key) const noexcept override {
    return settings_.get(key);
  }
  void log(LogLevel, std::string_view, std::string_view) const noexcept override {}
  void emitModelUsed(const ModelUsedEvent&) const noexcept override {}
  Expected<std::unique_ptr<ChildProcess>, std::string> startProcess(
      const ProcessSpec&) const noexcept override {
    return std::string("this test host starts no processes");
  }

 private:
  const Settings& settings_;
};

// A plugin is destroyed when the last call holding it ends; its library stays mapped for good
// (RTLD_NODELETE), so no thread of it can run unmapped code.
TEST_F(PluginLoaderTest, ProviderIsDestroyedWhenTheLastCallEndsAndItsLibraryStays) {
  const auto path = dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  const Settings settings({}, test::mapEnvironment({}));
  QuietServices services(settings);
  ModelRegistry registry;
  PluginLoader loader(services, settings, registry);
  EXPECT_FALSE(test::isMapped(path));
  const auto loaded = loader.loadFile(path);
  ASSERT_EQ(loaded.status, Status::Loaded) << loaded.reason;
  EXPECT_TRUE(test::isMapped(path));

  // A call in flight holds the provider past its unregistration.
  auto inFlight = registry.resolve(ModelType::TextSmall);
  ASSERT_TRUE(inFlight);
  std::weak_ptr<ModelProvider> provider = inFlight->registration.provider;
  registry.unregisterProvider("alpha");
  EXPECT_FALSE(provider.expired());
  EXPECT_TRUE(inFlight->registration.provider->generateText(ModelType::TextSmall, {}).ok());
  inFlight.reset();
  EXPECT_TRUE(provider.expired());
  EXPECT_TRUE(test::isMapped(path));
}

TEST_F(PluginLoaderTest, LoadingTheSameFileAgainReusesTheMappedLibrary) {
  const auto path = dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load();
  host_.reset();
  auto& host = load();
  EXPECT_EQ(report("alpha.so").status, Status::Loaded) << report("alpha.so").reason;
  EXPECT_EQ(host.runtime().useModel(ModelType::TextSmall, test::withPrompt("x")).output().text,
            "alpha/TEXT_SMALL: x");
}

// Each file is loaded by the name /proc/self/fd/N. A descriptor number reused for another file
// must load that file, never the library loaded earlier under the same name.
TEST_F(PluginLoaderTest, EachFileLoadsItsOwnLibraryAcrossHosts) {
  dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  load();
  host_.reset();
  std::filesystem::remove(dir_.path() / "alpha.so");
  dir_.copy(TEST_PLUGIN_BETA, "beta.so");
  auto& host = load();
  ASSERT_EQ(report("beta.so").status, Status::Loaded) << report("beta.so").reason;
  EXPECT_EQ(report("beta.so").name, "beta");
  EXPECT_EQ(host.runtime().useModel(ModelType::TextSmall, test::withPrompt("x")).output().text,
            "beta/TEXT_SMALL: x");
}

// The checks read the descriptor from the open file; the load must map that same file, even when
// another library is renamed over its path in between (here: deterministically, between the two
// steps the loader takes).
TEST_F(PluginLoaderTest, FileSwappedBetweenTheChecksAndTheLoadIsNotWhatLoads) {
  const auto path = dir_.copy(TEST_PLUGIN_ALPHA, "alpha.so");
  auto opened = openPluginFile(path);
  ASSERT_TRUE(opened.ok()) << opened.error();
  auto descriptor = readPluginDescriptor(opened.value().fd());
  ASSERT_TRUE(descriptor.ok()) << descriptor.error();
  ASSERT_EQ(descriptor.value().name, "alpha");

  const auto other = dir_.copy(TEST_PLUGIN_BETA, "beta.tmp");
  std::filesystem::rename(other, path);  // the path now names beta

  const Settings settings({}, test::mapEnvironment({}));
  auto services = std::make_shared<QuietServices>(settings);
  auto loading =
      PluginLoading::start(PluginLoadJob{std::move(opened).value(), path, descriptor.value(),
                                         makePluginIdentity("alpha", path.string()), services});
  ASSERT_TRUE(loading.ok());
  auto created =
      loading.value().waitUntil(std::chrono::steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(created.ok()) << created.error().reason;
  auto& plugin = created.value();
  ASSERT_NE(plugin.instance.models, nullptr);
  const auto result =
      plugin.instance.models->generateText(ModelType::TextSmall, test::withPrompt("x"));
  EXPECT_EQ(result.output().text, "alpha/TEXT_SMALL: x");
  plugin.entry->destroy(plugin.instance.handle);
}

TEST(PluginReportTest, StatusNames) {
  EXPECT_EQ(toString(Status::Loaded), "loaded");
  EXPECT_EQ(toString(Status::Disabled), "disabled");
  EXPECT_EQ(toString(Status::Skipped), "skipped");
}

}  // namespace
}  // namespace agent::host
