// A plugins directory full of things that are not plugins, or are broken ones: every one is
// refused with a one-line reason, the scan never hangs or crashes, and the good plugins beside
// them still load.
//
// Out of scope (see docs/reliability.md): a library that aborts, hangs or corrupts memory in a
// static constructor or in its entry function. That code runs inside dlopen() or the host's own
// call; the only defence would be loading each plugin in a child process first.
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "FaultSupport.hpp"
#include "agent/host/PluginLoader.hpp"

namespace agent::faults {
namespace {

namespace fs = std::filesystem;
using host::PluginReport;
using Reports = std::vector<PluginReport>;

constexpr uid_t kNobody = 65534;

// Loads `directory` in a fresh host; a scan that does not finish in time fails the whole run
// (rather than hanging until ctest's timeout).
Reports scan(const fs::path& directory, EnvMap env = {{"ECHO_PROVIDER", "1"}}) {
  std::ostringstream log;
  auto task = std::async(std::launch::async, [&] {
    host::HostOptions options;
    options.pluginsDirectory = directory;
    options.environment = mapEnvironment(env);
    options.logStream = &log;
    host::AgentHost host(std::move(options));
    return host.plugins();
  });
  if (task.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    std::fprintf(stderr, "FATAL: the plugin scan of %s hung\n", directory.c_str());
    std::_Exit(3);
  }
  return task.get();
}

const PluginReport* find(const Reports& reports, const std::string& filename) {
  for (const auto& report : reports) {
    if (report.path.filename() == filename) return &report;
  }
  return nullptr;
}

std::string fileBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class BadPluginsDirTest : public ::testing::Test {
 protected:
  void expectSkipped(const Reports& reports, const std::string& filename,
                     const std::string& reasonPart) {
    const PluginReport* report = find(reports, filename);
    ASSERT_NE(report, nullptr) << filename << " has no report";
    EXPECT_EQ(report->status, PluginReport::Status::Skipped) << filename;
    EXPECT_FALSE(report->reason.empty()) << filename;
    EXPECT_EQ(report->reason.find_first_of("\r\n"), std::string::npos) << report->reason;
    EXPECT_TRUE(contains(report->reason, reasonPart))
        << filename << ": \"" << report->reason << "\" lacks \"" << reasonPart << "\"";
  }

  void expectGoodOnesLoaded(const Reports& reports) {
    for (const char* good : {"00-good.so", "zz-echo.so"}) {
      const PluginReport* report = find(reports, good);
      ASSERT_NE(report, nullptr) << good;
      EXPECT_EQ(report->status, PluginReport::Status::Loaded) << good << ": " << report->reason;
    }
  }

  void addGoodPlugins() {
    dir_.copy(FAULT_GOOD_PLUGIN, "00-good.so");
    dir_.copy(ECHO_PLUGIN_FILE, "zz-echo.so");
  }

  TempDir dir_;
};

// --- Things that are not libraries ---------------------------------------------------------------

TEST_F(BadPluginsDirTest, FilesystemOddities) {
  addGoodPlugins();
  const fs::path d = dir_.path();
  fs::create_symlink(d / "loop-b.so", d / "loop-a.so");
  fs::create_symlink(d / "loop-a.so", d / "loop-b.so");
  fs::create_symlink(d / "self.so", d / "self.so");
  fs::create_symlink(d / "missing-target", d / "dangling.so");
  fs::create_directory(d / "dir.so");
  ASSERT_EQ(::mkfifo((d / "fifo.so").c_str(), 0600), 0);
  fs::create_symlink(d / "fifo.so", d / "link-to-fifo.so");
  fs::create_symlink("/dev/zero", d / "devzero.so");
  dir_.write("zero.so", "");
  dir_.write("text.so", "this is not a library\n");
  dir_.write("elf-magic-only.so",
             "\x7f"
             "ELF");
  dir_.copy("/bin/true", "true.so");  // an ELF executable, not a plugin

  const Reports reports = scan(d);
  expectGoodOnesLoaded(reports);
  // Links are never followed: the file checked must be the file loaded.
  expectSkipped(reports, "loop-a.so", "is a symbolic link");
  expectSkipped(reports, "loop-b.so", "is a symbolic link");
  expectSkipped(reports, "self.so", "is a symbolic link");
  expectSkipped(reports, "dangling.so", "is a symbolic link");
  expectSkipped(reports, "dir.so", "directory");
  expectSkipped(reports, "fifo.so", "not a regular file");
  expectSkipped(reports, "link-to-fifo.so", "is a symbolic link");
  expectSkipped(reports, "devzero.so", "is a symbolic link");
  expectSkipped(reports, "zero.so", "not a shared library");
  expectSkipped(reports, "text.so", "not a shared library");
  expectSkipped(reports, "elf-magic-only.so", "not a shared library");
  expectSkipped(reports, "true.so", "not an agent-host plugin");
}

TEST_F(BadPluginsDirTest, AnotherSharedLibraryIsNotAPlugin) {
  addGoodPlugins();
  dir_.copy(NOT_A_PLUGIN_LIBRARY, "libother.so");
  const Reports reports = scan(dir_.path());
  expectGoodOnesLoaded(reports);
  expectSkipped(reports, "libother.so", "not an agent-host plugin");
}

// A plugin copy cut anywhere: the ELF reader or dlopen refuses it; nothing maps past its end.
TEST_F(BadPluginsDirTest, TruncatedCopiesOfARealPlugin) {
  addGoodPlugins();
  const std::string bytes = fileBytes(BITROUTER_PLUGIN_FILE);
  ASSERT_GT(bytes.size(), 65536u);
  const std::size_t size = bytes.size();
  const std::vector<std::size_t> lengths = {
      1,    4,        16,       52,       63,           64,          200,       1024,
      4096, size / 8, size / 4, size / 2, size - 65536, size - 4096, size - 64, size - 1};
  for (const std::size_t length : lengths) {
    dir_.write("cut-" + std::to_string(length) + ".so", bytes.substr(0, length));
  }
  const Reports reports =
      scan(dir_.path(), {{"ECHO_PROVIDER", "1"}, {"BITROUTER_BASE_URL", "http://127.0.0.1:9"}});
  expectGoodOnesLoaded(reports);
  for (const std::size_t length : lengths) {
    const std::string name = "cut-" + std::to_string(length) + ".so";
    const PluginReport* report = find(reports, name);
    ASSERT_NE(report, nullptr) << name;
    EXPECT_EQ(report->status, PluginReport::Status::Skipped) << name << ": " << report->reason;
    EXPECT_FALSE(report->reason.empty()) << name;
  }
}

// --- Libraries with a broken entry ---------------------------------------------------------------

struct BadEntry {
  const char* file;
  const char* reasonPart;
};

class BadEntryTest : public BadPluginsDirTest, public ::testing::WithParamInterface<BadEntry> {};

TEST_P(BadEntryTest, IsRefusedWithAReasonWhileTheOthersLoad) {
  addGoodPlugins();
  dir_.copy(GetParam().file, "50-bad.so");
  const Reports reports = scan(dir_.path());
  expectGoodOnesLoaded(reports);
  expectSkipped(reports, "50-bad.so", GetParam().reasonPart);
}

INSTANTIATE_TEST_SUITE_P(
    Entries, BadEntryTest,
    ::testing::Values(
        BadEntry{FAULT_ENTRY_NULL, "returned null"},
        BadEntry{FAULT_ENTRY_INT, "not an AgentPluginEntry inside the library"},
        BadEntry{FAULT_ENTRY_DATA, "not a function of this library"},
        BadEntry{FAULT_ENTRY_HEAP, "not an AgentPluginEntry inside the library"},
        BadEntry{FAULT_ENTRY_MISALIGNED, "not an AgentPluginEntry inside the library"},
        BadEntry{FAULT_ENTRY_GARBAGE, "the entry (ABI version 1094795585) disagrees"},
        BadEntry{FAULT_ENTRY_WILD_CREATE, "create or destroy is not a function of this library"},
        BadEntry{FAULT_ENTRY_CREATE_IN_DATA, "create or destroy is not a function of this library"},
        BadEntry{FAULT_ENTRY_THROWS, "entry refuses"},
        BadEntry{FAULT_ENTRY_OTHER_SHAPE, "built against other plugin-api headers"},
        BadEntry{FAULT_ENTRY_MISSING, "did you forget AGENT_PLUGIN(...)?"},
        BadEntry{FAULT_ENTRY_WRONG_ABI, "plugin ABI version 4, host expects 3"},
        BadEntry{FAULT_ENTRY_WRONG_TAG, "C++ ABI tag"},
        BadEntry{FAULT_ENTRY_BAD_MAGIC, "holds no agent-host plugin descriptor"},
        BadEntry{FAULT_ENTRY_CUT_MANIFEST, "cut short"}),
    [](const ::testing::TestParamInfo<BadEntry>& info) {
      std::string name = fs::path(info.param.file).stem().string();
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST_F(BadPluginsDirTest, AllBadEntriesTogether) {
  addGoodPlugins();
  int i = 10;
  for (const char* file : {FAULT_ENTRY_NULL, FAULT_ENTRY_INT, FAULT_ENTRY_DATA, FAULT_ENTRY_HEAP,
                           FAULT_ENTRY_MISALIGNED, FAULT_ENTRY_GARBAGE, FAULT_ENTRY_WILD_CREATE,
                           FAULT_ENTRY_CREATE_IN_DATA, FAULT_ENTRY_THROWS, FAULT_ENTRY_OTHER_SHAPE,
                           FAULT_ENTRY_MISSING, FAULT_ENTRY_WRONG_ABI, FAULT_ENTRY_WRONG_TAG,
                           FAULT_ENTRY_BAD_MAGIC, FAULT_ENTRY_CUT_MANIFEST}) {
    dir_.copy(file, std::to_string(i++) + "-bad.so");
  }
  const Reports reports = scan(dir_.path());
  expectGoodOnesLoaded(reports);
  EXPECT_EQ(reports.size(), 17u);
  for (const auto& report : reports) {
    if (report.path.filename().string().find("-bad.so") == std::string::npos) continue;
    EXPECT_EQ(report.status, PluginReport::Status::Skipped) << report.path;
    EXPECT_FALSE(report.reason.empty()) << report.path;
  }
}

// --- Permissions
// -----------------------------------------------------------------------------------

// Runs `check` in a child process that is not root (root reads every file whatever its mode), and
// returns what the child wrote. When this process is root, the child drops to nobody first.
struct ChildOutput {
  int status = -1;
  std::string text;
};

// The child's exit status when it is root and cannot become nobody (a restricted container).
constexpr int kCannotDropPrivileges = 90;

template <class Check>
ChildOutput runUnprivileged(Check check) {
  int pipeFds[2];
  if (::pipe(pipeFds) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipeFds[0]);
    if (::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0)) {
      ::_exit(kCannotDropPrivileges);
    }
    if (::geteuid() == 0) ::_exit(kCannotDropPrivileges);
    const std::string text = check();
    const ssize_t written = ::write(pipeFds[1], text.data(), text.size());
    ::_exit(written == static_cast<ssize_t>(text.size()) ? 0 : 92);
  }
  ::close(pipeFds[1]);
  ChildOutput output;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;) {
    output.text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipeFds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  output.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return output;
}

std::string describeReports(const Reports& reports) {
  std::string text;
  for (const auto& report : reports) {
    text += report.path.filename().string() + "\t" + std::string(toString(report.status)) + "\t" +
            report.reason + "\n";
  }
  return text;
}

TEST_F(BadPluginsDirTest, UnreadableFileIsSkippedAndTheOthersLoad) {
  addGoodPlugins();
  const fs::path locked = dir_.copy(FAULT_GOOD_PLUGIN, "50-locked.so");
  fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read |
                                   fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec);
  for (const char* name : {"00-good.so", "zz-echo.so"}) {
    fs::permissions(dir_.path() / name,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  }
  fs::permissions(locked, fs::perms::none);

  const ChildOutput child = runUnprivileged([&] { return describeReports(scan(dir_.path())); });
  if (child.status == kCannotDropPrivileges) GTEST_SKIP() << "root here cannot become nobody";
  ASSERT_EQ(child.status, 0) << "the unprivileged child failed: " << child.text;
  EXPECT_TRUE(contains(child.text, "00-good.so\tloaded")) << child.text;
  EXPECT_TRUE(contains(child.text, "zz-echo.so\tloaded")) << child.text;
  EXPECT_TRUE(contains(child.text, "50-locked.so\tskipped\tcannot open: Permission denied"))
      << child.text;
}

// An unlistable plugins directory is a report, not a silent "no plugins".
TEST_F(BadPluginsDirTest, UnlistableDirectoryIsReported) {
  addGoodPlugins();
  fs::permissions(dir_.path(), fs::perms::owner_exec | fs::perms::group_exec |
                                   fs::perms::others_exec);  // enterable, not listable
  const ChildOutput child = runUnprivileged([&] { return describeReports(scan(dir_.path())); });
  if (child.status == kCannotDropPrivileges) GTEST_SKIP() << "root here cannot become nobody";
  ASSERT_EQ(child.status, 0) << "the unprivileged child failed: " << child.text;
  EXPECT_TRUE(contains(child.text, "skipped\tcannot list the plugins directory")) << child.text;
}

}  // namespace
}  // namespace agent::faults
