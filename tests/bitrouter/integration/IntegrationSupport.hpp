// IntegrationSupport: what the BitRouter integration tests share.
//
// BitRouterIntegrationTest owns one BitRouter stand-in (a real HTTP server on an ephemeral
// loopback port, in this process) and builds a real AgentHost whose plugins directory holds only
// the plugins a test asks for (symlinks to the built bitrouter.so / echo.so), with an environment
// map instead of the process environment, and a captured log. Nothing between the plugin and the
// stand-in is mocked: the plugin's HTTP goes through the kernel.
#pragma once

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "BitRouterStandin.hpp"
#include "agent/GenerateTextParams.hpp"
#include "agent/ModelResult.hpp"
#include "agent/host/AgentHost.hpp"
#include "agent/test/LockedLog.hpp"
#include "agent/test/Loopback.hpp"
#include "agent/test/ProcessRunner.hpp"
#include "agent/test/TempDir.hpp"
#include "agent/test/TestEnvironment.hpp"

namespace agent::bitrouter::integration {

using agent::test::EnvMap;
using agent::test::LockedLog;
using agent::test::mapEnvironment;
using agent::test::ProcessResult;
using agent::test::runProcess;
using agent::test::TempDir;
using agent::test::withPrompt;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// Parses JSON; a parse error is reported as a test failure and yields a Null document.
rapidjson::Document parseJson(std::string_view text);

/// Compact JSON text of a value (for assertion messages).
std::string toJson(const rapidjson::Value& value);

/// The lines of `text`, without their '\n'; a final newline adds no empty line.
std::vector<std::string> splitLines(std::string_view text);

/// "ok: <text>" or "<kind> (HTTP n): <message>", for assertion messages. Never use it where the
/// message could hold a secret (SecretsTest does not).
std::string describe(const ModelResult& result);

bool contains(std::string_view text, std::string_view needle);

/// Occurrences of `needle` in `text`.
std::size_t countOf(std::string_view text, std::string_view needle);

enum class Plugins { BitRouter, BitRouterAndEcho };

/// A key the stand-in accepts in auth mode (the shape of a real brvk_ secret: 48 characters).
inline constexpr std::string_view kValidKey = "brvk_IntegrationValidKey0123456789abcdefghijklmn";

class BitRouterIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override;     // starts a default stand-in (skip_auth, default catalog)
  void TearDown() override;  // the host goes first: its pooled connections point at the stand-in

  /// Replaces the stand-in with one configured by `options` (any host is dropped first).
  void restartStandin(standin::StandinOptions options);
  standin::BitRouterStandin& standin() { return *standin_; }
  const standin::BitRouterStandin& standin() const { return *standin_; }

  /// What every host gets unless a test overrides it: the stand-in's address, a near-zero retry
  /// backoff base (so retries cost no wall time) and a deadline far above any healthy call.
  EnvMap baseEnv() const;

  /// Builds a fresh host from baseEnv() overlaid with `overrides`.
  host::AgentHost& makeHost(const EnvMap& overrides = {}, Plugins plugins = Plugins::BitRouter,
                            LogLevel level = LogLevel::Debug);
  /// Builds a fresh host from exactly `env`.
  host::AgentHost& makeHostWithEnv(const EnvMap& env, Plugins plugins = Plugins::BitRouter,
                                   LogLevel level = LogLevel::Debug);
  host::AgentHost& host();
  /// Fills pluginsDir_ with the built plugins (hard links or copies: the loader follows no symbolic
  /// link); returns its path.
  const std::filesystem::path& preparePlugins(Plugins plugins);
  /// The loader's report for the plugin named `name` (nullptr when there is none).
  const host::PluginReport* report(std::string_view name) const;

  ModelResult call(ModelType type, GenerateTextParams params,
                   std::optional<std::string_view> provider = std::nullopt,
                   host::CallInfo* info = nullptr);
  ModelResult call(ModelType type, std::string prompt);

  std::vector<ModelUsedEvent> modelUsed() const;
  /// Everything the host and its plugins logged so far (the init probe logs from its own thread,
  /// so the text is kept behind a lock).
  std::string logText() const { return log_.text(); }
  /// Waits until the log holds `needle` (false after `limit`).
  bool waitForLog(std::string_view needle,
                  std::chrono::milliseconds limit = std::chrono::seconds(10)) const;

  /// The POST /v1/chat/completions requests the stand-in received, in order.
  std::vector<standin::RecordedRequest> chatRequests() const;
  /// The body of the only/last chat request, parsed (a Null document when there is none).
  rapidjson::Document lastChatBody() const;

  TempDir pluginsDir_;
  host::Character character_;  // the character every host built from now on gets

 private:
  std::unique_ptr<standin::BitRouterStandin> standin_;
  LockedLog log_;
  mutable std::mutex eventsMutex_;
  std::vector<ModelUsedEvent> events_;
  std::unique_ptr<host::AgentHost> host_;  // last: destroyed before what it logs and emits into
};

/// A stand-in in auth mode (skip_auth off) that accepts kValidKey only.
standin::StandinOptions authModeOptions();

}  // namespace agent::bitrouter::integration
