// An application built out of tree against the installed host library makes a plain, a streamed,
// an asynchronous and a tool-using call through the real bitrouter.so over loopback.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "BitRouterStandin.hpp"
#include "agent/test/ProcessRunner.hpp"
#include "agent/test/TempDir.hpp"

namespace {

using agent::test::runProcess;

class EmbeddingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    work_ = new agent::test::TempDir();
    const std::string prefix = (work_->path() / "prefix").string();
    const std::string build = (work_->path() / "build").string();
    step("install the project", {"--install", PROJECT_BUILD_DIR, "--prefix", prefix});
    std::vector<std::string> configure{"-S",
                                       EXAMPLE_SOURCE_DIR,
                                       "-B",
                                       build,
                                       "-DCMAKE_PREFIX_PATH=" + prefix,
                                       "-DCMAKE_BUILD_TYPE=Release"};
    if (const std::string flags = SANITIZE_FLAGS; !flags.empty()) {
      // The library was built with a sanitizer: the application must link the same runtime.
      configure.push_back("-DCMAKE_CXX_FLAGS=" + flags);
      configure.push_back("-DCMAKE_EXE_LINKER_FLAGS=" + flags);
    }
    step("configure the example", configure);
    step("build the example", {"--build", build, "-j2"});
    example_ = build + "/embedding-example";
  }
  static void TearDownTestSuite() {
    delete work_;
    work_ = nullptr;
  }

  static void step(const std::string& name, const std::vector<std::string>& args) {
    const auto result = runProcess(CMAKE_EXECUTABLE, args, {});
    if (result.exitCode != 0) {
      failure_ += name + " failed:\n" + result.out + result.err + "\n";
    }
  }

  void SetUp() override {
    ASSERT_TRUE(failure_.empty()) << failure_;
    standin_.start();
  }

  static inline agent::test::TempDir* work_ = nullptr;
  static inline std::string example_;
  static inline std::string failure_;
  agent::standin::BitRouterStandin standin_;
};

TEST_F(EmbeddingTest, TheInstalledLibraryServesAnApplicationBuiltOutOfTree) {
  // The example's calls in order: plain, streamed, asynchronous, then the tool loop's two steps.
  for (int i = 0; i < 3; ++i)
    standin_.script({});
  standin_.script({.toolCalls = {{"call_1", "get_time", "{}"}}});
  standin_.script({.content = "It is noon."});
  const auto result = runProcess(example_, {}, {{"BITROUTER_BASE_URL", standin_.baseUrl()}});
  ASSERT_EQ(result.exitCode, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("plugin: bitrouter loaded"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("call: Stand-in reply"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("chunk: "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("async: Stand-in reply"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("tool call: get_time {}"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("tool result: 12:00 UTC"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("tools: It is noon. (2 steps)"), std::string::npos) << result.out;
}

TEST_F(EmbeddingTest, AFailedCallIsAnErrorValueTheApplicationCanReport) {
  standin_.script({.status = 401});
  const auto result = runProcess(example_, {}, {{"BITROUTER_BASE_URL", standin_.baseUrl()}});
  EXPECT_EQ(result.exitCode, 1) << result.out << result.err;
  EXPECT_NE(result.err.find("call failed: auth"), std::string::npos) << result.err;
}

}  // namespace
