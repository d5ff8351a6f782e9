// Functional checks of the benchmark tools (no timing thresholds: figures are for
// docs/performance.md, not for tests). `agent-host bench` and http-floor run as subprocesses
// against an in-process stand-in, which records what each really sent.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "BitRouterStandin.hpp"

namespace agent::bench {
namespace {

struct ProcessRun {
  int exitCode = -1;
  std::string out;
  std::string err;
};

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs `command` through the shell with `environment` prefixed ("NAME=value ...").
ProcessRun run(const std::string& environment, const std::string& command) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string stem = "bench-smoke-" + std::to_string(::getpid());
  const auto outPath = dir / (stem + ".out");
  const auto errPath = dir / (stem + ".err");
  const std::string line =
      "env " + environment + " " + command + " >" + outPath.string() + " 2>" + errPath.string();
  const int status = std::system(line.c_str());
  ProcessRun result;
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = readFile(outPath);
  result.err = readFile(errPath);
  std::filesystem::remove(outPath);
  std::filesystem::remove(errPath);
  return result;
}

std::string agentHost(const std::string& arguments) {
  return std::string(AGENT_HOST_BINARY) + " --plugins-dir " + AGENT_PLUGINS_DIR + " bench " +
         arguments;
}

std::string floor(const std::string& arguments) {
  return std::string(HTTP_FLOOR_BINARY) + " " + arguments;
}

class BenchSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override { standin_.start(); }

  std::string environment() const {
    // No key: the stand-in runs with skip_auth. ECHO_PROVIDER unset: bitrouter serves.
    return "-u BITROUTER_API_KEY -u ECHO_PROVIDER BITROUTER_BASE_URL=" + standin_.baseUrl();
  }

  // The chat bodies and header names the stand-in received since the last call.
  std::pair<std::set<std::string>, std::set<std::string>> received() {
    std::set<std::string> bodies;
    std::set<std::string> headers;
    for (const auto& request : standin_.requests()) {
      if (request.path != "/v1/chat/completions") continue;
      bodies.insert(request.body);
      for (const auto& [name, value] : request.headers) {
        std::string lower;
        for (char c : name)
          lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        headers.insert(lower);
      }
    }
    standin_.resetRecords();
    return {bodies, headers};
  }

  standin::BitRouterStandin standin_;
};

void expectReport(const std::string& json, const std::string& tool, std::size_t requests,
                  std::size_t concurrency, bool stream) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  ASSERT_FALSE(document.HasParseError()) << json;
  ASSERT_TRUE(document.IsObject()) << json;
  for (const char* key :
       {"provider", "modelType", "model", "firstError", "wallSeconds", "callsPerSecond", "p50Us",
        "p90Us", "p99Us", "minUs", "maxUs", "meanUs", "cpuUsPerCall", "peakRssKb", "pluginLoadMs",
        "chunksPerCall", "warmupErrors"}) {
    EXPECT_TRUE(document.HasMember(key)) << key << " missing in " << json;
  }
  EXPECT_EQ(std::string(document["tool"].GetString()), tool);
  EXPECT_EQ(document["requests"].GetUint64(), requests);
  EXPECT_EQ(document["concurrency"].GetUint64(), concurrency);
  EXPECT_EQ(document["stream"].GetBool(), stream);
  EXPECT_EQ(document["ok"].GetUint64(), requests);
  EXPECT_EQ(document["errors"].GetUint64(), 0u);
  EXPECT_TRUE(document["firstError"].IsNull());
  EXPECT_GT(document["p50Us"].GetDouble(), 0.0);
  EXPECT_LE(document["p50Us"].GetDouble(), document["p99Us"].GetDouble());
  EXPECT_GT(document["callsPerSecond"].GetDouble(), 0.0);
  EXPECT_GT(document["peakRssKb"].GetDouble(), 0.0);
  if (tool == "agent-host") {
    EXPECT_EQ(std::string(document["provider"].GetString()), "bitrouter");
    EXPECT_EQ(std::string(document["modelType"].GetString()), "TEXT_SMALL");
    EXPECT_EQ(std::string(document["model"].GetString()), "gpt-4o-mini");
    EXPECT_TRUE(document["pluginLoadMs"].IsNumber());
  }
  if (stream && tool == "agent-host") {
    ASSERT_TRUE(document["chunksPerCall"].IsNumber());
    EXPECT_GE(document["chunksPerCall"].GetDouble(), 1.0);
  }
}

TEST_F(BenchSmokeTest, AgentHostBenchPrintsEveryFigure) {
  const ProcessRun result = run(environment(), agentHost("--requests 50 --concurrency 4 --json"));
  ASSERT_EQ(result.exitCode, 0) << result.err;
  expectReport(result.out, "agent-host", 50, 4, false);
}

TEST_F(BenchSmokeTest, AgentHostBenchStreams) {
  const ProcessRun result =
      run(environment(), agentHost("--requests 20 --concurrency 2 --stream --json"));
  ASSERT_EQ(result.exitCode, 0) << result.err;
  expectReport(result.out, "agent-host", 20, 2, true);
}

TEST_F(BenchSmokeTest, FloorPrintsTheSameReport) {
  for (const bool stream : {false, true}) {
    const ProcessRun result = run(
        environment(),
        floor(std::string("--requests 30 --concurrency 3 --json") + (stream ? " --stream" : "")));
    ASSERT_EQ(result.exitCode, 0) << result.err;
    expectReport(result.out, "http-floor", 30, 3, stream);
  }
}

// The floor is only a fair floor if it sends what the plugin sends.
TEST_F(BenchSmokeTest, FloorSendsThePluginsBodyAndHeaders) {
  for (const char* mode : {"", " --stream"}) {
    SCOPED_TRACE(mode);
    ASSERT_EQ(run(environment(), agentHost(std::string("--requests 3 --warmup 0") + mode)).exitCode,
              0);
    const auto [pluginBodies, pluginHeaders] = received();
    ASSERT_EQ(run(environment(), floor(std::string("--requests 3 --warmup 0") + mode)).exitCode, 0);
    const auto [floorBodies, floorHeaders] = received();
    ASSERT_EQ(pluginBodies.size(), 1u);
    EXPECT_EQ(floorBodies, pluginBodies);
    EXPECT_EQ(floorHeaders, pluginHeaders);
  }
}

TEST_F(BenchSmokeTest, EveryCallFailingExitsOneWithTheFirstError) {
  standin_.stop();  // nothing listens on its port any more
  const ProcessRun result =
      run(environment() + " BITROUTER_MAX_RETRIES=0", agentHost("--requests 3 --warmup 0 --json"));
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("3 of 3 calls failed; first: bitrouter failed (TEXT_SMALL)"),
            std::string::npos)
      << result.err;
  rapidjson::Document document;
  document.Parse(result.out.c_str());
  ASSERT_TRUE(document.IsObject()) << result.out;
  EXPECT_EQ(document["errors"].GetUint64(), 3u);
  EXPECT_TRUE(document["firstError"].IsString());
}

TEST_F(BenchSmokeTest, BadUsageExitsTwo) {
  EXPECT_EQ(run(environment(), agentHost("--concurrency 0")).exitCode, 2);
  EXPECT_EQ(run(environment(), agentHost("--requests many")).exitCode, 2);
  EXPECT_EQ(run(environment(), agentHost("a prompt")).exitCode, 2);
  EXPECT_EQ(run(environment(), floor("--concurrency 0")).exitCode, 2);
}

}  // namespace
}  // namespace agent::bench
