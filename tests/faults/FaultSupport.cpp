#include "FaultSupport.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace agent::faults {

// --- Helpers -----------------------------------------------------------------------------------

long envNumber(const char* name, long fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  char* end = nullptr;
  const long parsed = std::strtol(value, &end, 10);
  return end != nullptr && *end == '\0' && parsed > 0 ? parsed : fallback;
}

milliseconds deadlineSlack() {
  return milliseconds(envNumber("FAULTS_SLACK_MS", 2000));
}

bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

std::string describe(const ModelResult& result) {
  if (result.ok()) return "ok: " + std::to_string(result.output().text.size()) + " bytes";
  const ModelError& error = result.error();
  std::string text(toString(error.kind));
  if (error.httpStatus != 0) text += " (HTTP " + std::to_string(error.httpStatus) + ")";
  return text + ": " + error.message;
}

std::string cleanEndProblems(const ModelResult& result, const std::set<ErrorKind>& allowed) {
  std::string problems;
  const auto problem = [&problems](const std::string& what) {
    if (!problems.empty()) problems += "; ";
    problems += what;
  };
  if (result.ok()) {
    if (contains(result.output().text, kSecretKey)) problem("the key is in the reply");
    return problems;
  }
  const ModelError& error = result.error();
  if (error.message.empty()) problem("empty error message");
  if (error.message.find_first_of("\r\n") != std::string::npos) problem("multi-line message");
  if (contains(error.message, kSecretKey) || contains(error.partialText, kSecretKey)) {
    problem("the key is in the error");
  }
  if (error.kind == ErrorKind::Internal) problem("an Internal error (a bug reached a boundary)");
  if (!allowed.empty() && allowed.count(error.kind) == 0) {
    problem("unexpected kind " + std::string(toString(error.kind)));
  }
  return problems;
}

// --- FaultTest ---------------------------------------------------------------------------------

void FaultTest::SetUp() {
  pluginsDir_.addPlugin(BITROUTER_PLUGIN_FILE, "bitrouter.so");
  restartStandin({});
}

void FaultTest::TearDown() {
  host_.reset();  // its pooled connections point at the stand-in
  if (standin_) standin_->stop();
}

void FaultTest::restartStandin(standin::StandinOptions options) {
  host_.reset();
  standin_.reset();
  standin_ = std::make_unique<standin::BitRouterStandin>(std::move(options));
  standin_->start();
}

EnvMap FaultTest::baseEnv() const {
  return {
      {"BITROUTER_BASE_URL", standin_->baseUrl()},
      {"BITROUTER_API_KEY", std::string(kSecretKey)},
      {"BITROUTER_TIMEOUT_MS", "3000"},
      {"BITROUTER_CONNECT_TIMEOUT_MS", "1000"},
      {"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "1500"},
      {"BITROUTER_MAX_RETRIES", "1"},
      {"BITROUTER_RETRY_BASE_MS", "1"},
  };
}

host::AgentHost& FaultTest::makeHost(const EnvMap& overrides) {
  host_.reset();
  EnvMap env = baseEnv();
  for (const auto& [key, value] : overrides)
    env[key] = value;
  deadline_ = milliseconds(std::stol(env.at("BITROUTER_TIMEOUT_MS")));
  host::HostOptions options;
  options.pluginsDirectory = pluginsDir_.path();
  options.environment = mapEnvironment(std::move(env));
  options.logLevel = LogLevel::Debug;
  options.logStream = &log_;
  host_ = std::make_unique<host::AgentHost>(std::move(options));
  return *host_;
}

TimedResult FaultTest::call(std::string prompt, bool stream) {
  if (!host_) makeHost();
  TimedResult timed{makeError(ErrorKind::Internal, "not run"), milliseconds(0), 0, {}};
  GenerateTextParams params = withPrompt(std::move(prompt), stream);
  if (stream) {
    params.onChunk = [&timed](std::string_view chunk) {
      ++timed.chunks;
      timed.streamed.append(chunk);
      return true;
    };
  }
  const auto started = Clock::now();
  timed.result = host_->runtime().useModel(ModelType::TextSmall, std::move(params));
  timed.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  return timed;
}

void FaultTest::expectCleanEnd(const TimedResult& call, const std::set<ErrorKind>& allowed) {
  // Kept in the test report (--gtest_output=json), so a run shows how each fault ended.
  ::testing::Test::RecordProperty("outcome", describe(call.result).substr(0, 200) + " in " +
                                                 std::to_string(call.elapsed.count()) + " ms");
  EXPECT_EQ(cleanEndProblems(call.result, allowed), "") << describe(call.result);
  EXPECT_LE(call.elapsed, deadline_ + deadlineSlack()) << describe(call.result);
  EXPECT_FALSE(contains(logText(), kSecretKey)) << "the key is in the log";
}

}  // namespace agent::faults
