// FaultSupport: what the fault-injection tests share.
//
// FaultTest runs the real host, which loads the real bitrouter.so through its PluginLoader, against
// a BitRouter stand-in in this process whose replies are scripted to fail on the wire (dropped
// connections, silence, trickled bytes, huge or hostile bodies). Every call must end with a result
// or a clear error within its deadline, and the API key must never show up in what users see.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "BitRouterStandin.hpp"
#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/host/AgentHost.hpp"
#include "agent/test/LockedLog.hpp"
#include "agent/test/ProcessRunner.hpp"
#include "agent/test/TempDir.hpp"
#include "agent/test/TestEnvironment.hpp"

namespace agent::faults {

using agent::test::EnvMap;
using agent::test::LockedLog;
using agent::test::mapEnvironment;
using agent::test::ProcessResult;
using agent::test::runProcess;
using agent::test::TempDir;
using agent::test::withPrompt;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// The key every fault test configures; it must appear in no result, log line or CLI output.
inline constexpr std::string_view kSecretKey = "brvk_FaultSecretKey0123456789abcdefghijklmnopqrstu";

/// An integer from the environment variable `name`, or `fallback` when unset or not a number.
long envNumber(const char* name, long fallback);

/// Extra time a call may take past its deadline before the test calls it a hang
/// (FAULTS_SLACK_MS; sanitizer runs raise it).
milliseconds deadlineSlack();

bool contains(std::string_view text, std::string_view needle);

/// "ok: <n> bytes" or "<kind> (HTTP n): <message>", for assertion messages.
std::string describe(const ModelResult& result);

/// Checks what every call must satisfy whatever went wrong: a result, or a ModelError with a
/// non-empty single-line message, a kind in `allowed` (any kind but Internal when empty), and no
/// trace of the API key. Returns the failures (empty when the call ended cleanly).
std::string cleanEndProblems(const ModelResult& result, const std::set<ErrorKind>& allowed = {});

struct TimedResult {
  ModelResult result;
  milliseconds elapsed;
  std::size_t chunks = 0;  // onChunk calls (streaming)
  std::string streamed;    // what onChunk received
};

class FaultTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// Replaces the stand-in with one configured by `options`.
  void restartStandin(standin::StandinOptions options);
  standin::BitRouterStandin& standin() { return *standin_; }

  /// The stand-in's address, the key, a 3 s deadline, one retry with ~no backoff.
  EnvMap baseEnv() const;
  host::AgentHost& makeHost(const EnvMap& overrides = {});
  host::AgentHost& host() { return *host_; }

  /// One TEXT_SMALL call, timed; streams when `stream`.
  TimedResult call(std::string prompt, bool stream = false);

  std::string logText() const { return log_.text(); }
  /// The BITROUTER_TIMEOUT_MS of the current host.
  milliseconds deadline() const { return deadline_; }

  /// Asserts the clean-end rules, the deadline bound, and that the log holds no key.
  void expectCleanEnd(const TimedResult& call, const std::set<ErrorKind>& allowed = {});

  TempDir pluginsDir_;

 private:
  std::unique_ptr<standin::BitRouterStandin> standin_;
  LockedLog log_;  // the init probe logs from a thread of its own
  milliseconds deadline_{0};
  std::unique_ptr<host::AgentHost> host_;  // last: destroyed before what it logs into
};

}  // namespace agent::faults
