// The API key never leaves the Authorization header: not in a log line (at trace level), not in an
// error message or plugin report, not in the CLI's output, on any error path, including servers
// that echo the key back in their error bodies.
//
// Assertion messages here never print the text under test: it might hold the key.
#include <string>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

// A distinctive, real-shaped secret (48 characters), and a piece of it: a leak of part of the key
// (a cut excerpt) is a leak too.
constexpr std::string_view kSecret = "brvk_ZZleakCanary0123456789abcdefghijklmnopqrstu";
constexpr std::string_view kSecretPiece = "ZZleakCanary";

class SecretsTest : public BitRouterIntegrationTest {
 protected:
  EnvMap withKey(EnvMap env = {}) const {
    env["BITROUTER_API_KEY"] = std::string(kSecret);
    return env;
  }

  void expectNoSecret(std::string_view text, std::string_view where) {
    EXPECT_EQ(text.find(kSecret), std::string_view::npos) << "the API key leaked into " << where;
    EXPECT_EQ(text.find(kSecretPiece), std::string_view::npos)
        << "part of the API key leaked into " << where;
  }

  // Every string a caller can see from a result.
  void expectNoSecret(const ModelResult& result, std::string_view where) {
    if (result.ok()) {
      expectNoSecret(result.output().text, where);
      return;
    }
    expectNoSecret(result.error().message, where);
    expectNoSecret(result.error().partialText, where);
    expectNoSecret(result.error().requestId, where);
  }

  void expectNoSecretInReports(std::string_view where) {
    for (const auto& plugin : host().plugins())
      expectNoSecret(plugin.reason, where);
  }

  // The key must really have been sent: otherwise these tests would prove nothing.
  void expectKeySentAsBearer() {
    const auto chats = chatRequests();
    ASSERT_FALSE(chats.empty());
    const auto it = chats.back().headers.find("Authorization");
    ASSERT_NE(it, chats.back().headers.end()) << "no Authorization header was sent";
    EXPECT_TRUE(it->second == "Bearer " + std::string(kSecret))
        << "the Authorization header does not carry the configured key";
  }
};

TEST_F(SecretsTest, RejectedKeyIsNeverEchoed) {
  restartStandin(authModeOptions());  // knows kValidKey only
  makeHost(withKey(), Plugins::BitRouter, LogLevel::Trace);
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Auth);
  expectKeySentAsBearer();
  expectNoSecret(result, "the 401 error");
  expectNoSecret(logText(), "the log");
}

TEST_F(SecretsTest, ServerErrorsThatEchoTheKeyAreRedacted) {
  makeHost(withKey(), Plugins::BitRouter, LogLevel::Trace);
  const std::string key(kSecret);
  struct EchoCase {
    std::string_view name;
    standin::ResponseScript script;
    int repeat;
  };
  const std::vector<EchoCase> cases{
      {"401 message", {.status = 401, .errorMessage = "unauthorized: unknown API key " + key}, 1},
      {"404 message", {.status = 404, .errorMessage = "not found: model for key " + key}, 1},
      {"429 message (retried)",
       {.status = 429,
        .errorMessage = "rate limited for " + key,
        .headers = {{"retry-after", "0"}}},
       3},
      {"500 raw body", {.status = 500, .body = "internal error: bad key " + key}, 1},
      {"503 HTML body (retried)",
       {.status = 503, .body = "<html>" + key + "</html>", .contentType = "text/html"},
       3},
      {"400 passthrough string", {.status = 400, .body = R"({"error":")" + key + R"( bad"})"}, 1},
      {"400 non-envelope JSON", {.status = 400, .body = R"({"detail":")" + key + R"("})"}, 1},
      {"malformed 200", {.body = R"({"choices":[{"message":")" + key}, 1},
      {"malformed stream frame",
       {.body = "data: {\"oops\" " + key + "\n\n", .contentType = "text/event-stream"},
       1},
  };
  for (const EchoCase& c : cases) {
    SCOPED_TRACE(std::string(c.name));
    standin().resetRecords();
    standin().scriptRepeated(c.script, c.repeat);
    GenerateTextParams params = withPrompt("hi");
    params.stream = c.name == "malformed stream frame";
    if (params.stream) params.onChunk = [](std::string_view) { return true; };
    const ModelResult result = call(ModelType::TextSmall, params);
    standin().clearScripts();
    ASSERT_FALSE(result.ok());
    expectKeySentAsBearer();
    expectNoSecret(result, c.name);
  }
  expectNoSecret(logText(), "the log");
}

TEST_F(SecretsTest, StructuredAndStreamFailuresDoNotLeakTheKey) {
  makeHost(withKey(), Plugins::BitRouter, LogLevel::Trace);
  const std::string key(kSecret);

  GenerateTextParams structured = withPrompt("hi");
  structured.responseSchema = R"({"type":"object","required":["message"]})";
  standin().script({.content = key});  // not JSON
  expectNoSecret(call(ModelType::TextSmall, structured), "an invalid JSON reply");
  standin().script({.content = R"({"other":")" + key + R"("})"});  // violates the schema
  expectNoSecret(call(ModelType::TextSmall, structured), "a schema violation");

  GenerateTextParams streamed = withPrompt("hi");
  streamed.stream = true;
  streamed.onChunk = [](std::string_view) { return true; };
  standin().script({.streamChunks = {"a", "b"}, .errorAfterFrames = 1});
  expectNoSecret(call(ModelType::TextSmall, streamed), "a mid-stream error");
  standin().script({.streamChunks = {"a", "b"}, .cutAfterFrames = 1});
  expectNoSecret(call(ModelType::TextSmall, streamed), "a cut stream");
  expectNoSecret(logText(), "the log");
}

TEST_F(SecretsTest, TransportFailuresAndTimeoutsDoNotLeakTheKey) {
  // Init with BitRouter down (the /v1/models probe fails), then a refused call.
  const std::string refused =
      "http://127.0.0.1:" + std::to_string(agent::test::unusedLoopbackPort());
  makeHost(withKey({{"BITROUTER_BASE_URL", refused}}), Plugins::BitRouter, LogLevel::Trace);
  // The probe reports from its own thread; its line must be in the log checked below.
  ASSERT_TRUE(waitForLog("not reachable at")) << logText();
  expectNoSecret(call(ModelType::TextSmall, "hi"), "a refused connection");

  makeHost(withKey({{"BITROUTER_TIMEOUT_MS", "200"}}), Plugins::BitRouter, LogLevel::Trace);
  standin().script({.neverAnswer = true});
  expectNoSecret(call(ModelType::TextSmall, "hi"), "a timeout");

  makeHost(withKey({{"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "100"}}), Plugins::BitRouter,
           LogLevel::Trace);
  standin().script({.streamChunks = {"a", "b"}, .frameDelay = milliseconds(2000)});
  GenerateTextParams streamed = withPrompt("hi");
  streamed.stream = true;
  streamed.onChunk = [](std::string_view) { return true; };
  expectNoSecret(call(ModelType::TextSmall, streamed), "a stream idle timeout");
  expectNoSecret(logText(), "the log");
}

TEST_F(SecretsTest, ConfigErrorsDoNotEchoTheKey) {
  const std::string key(kSecret);
  const std::vector<std::pair<std::string_view, EnvMap>> cases{
      {"a bad number setting", withKey({{"BITROUTER_TIMEOUT_MS", "soon"}})},
      {"a key with a newline inside", {{"BITROUTER_API_KEY", key + "\nsecond-line"}}},
      {"credentials in the base URL",
       withKey({{"BITROUTER_BASE_URL", "http://user:" + key + "@127.0.0.1:1"}})},
  };
  for (const auto& [name, env] : cases) {
    SCOPED_TRACE(std::string(name));
    makeHost(env, Plugins::BitRouter, LogLevel::Trace);
    const host::PluginReport* plugin = report("bitrouter");
    ASSERT_NE(plugin, nullptr);
    EXPECT_EQ(plugin->status, host::PluginReport::Status::Skipped);
    EXPECT_FALSE(plugin->reason.empty());
    expectNoSecretInReports(name);
    expectNoSecret(call(ModelType::TextSmall, "hi"), name);
  }
  expectNoSecret(logText(), "the log");
}

TEST_F(SecretsTest, KeyPastedIntoAnotherSettingIsNotEchoed) {
  // A plausible slip: the key pasted into the neighbouring setting as well. The error must name
  // the setting without repeating the configured key (or a piece of it).
  for (const std::string_view setting : {"BITROUTER_BASE_URL", "BITROUTER_TIMEOUT_MS"}) {
    SCOPED_TRACE(std::string(setting));
    makeHost(withKey({{std::string(setting), std::string(kSecret)}}), Plugins::BitRouter,
             LogLevel::Trace);
    const host::PluginReport* plugin = report("bitrouter");
    ASSERT_NE(plugin, nullptr);
    EXPECT_EQ(plugin->status, host::PluginReport::Status::Skipped);
    EXPECT_TRUE(contains(plugin->reason, setting));
    expectNoSecretInReports("the plugin report");
  }
  expectNoSecret(logText(), "the log");
}

TEST_F(SecretsTest, TheCliNeverPrintsTheKey) {
  restartStandin(authModeOptions());
  const std::string refused =
      "http://127.0.0.1:" + std::to_string(agent::test::unusedLoopbackPort());
  const EnvMap env{{"BITROUTER_BASE_URL", standin().baseUrl()},
                   {"BITROUTER_API_KEY", std::string(kSecret)},
                   {"BITROUTER_RETRY_BASE_MS", "1"}};
  EnvMap down = env;
  down["BITROUTER_BASE_URL"] = refused;
  EnvMap badNumber = env;
  badNumber["BITROUTER_MAX_RETRIES"] = "many";

  const std::vector<std::pair<std::string_view, std::vector<std::string>>> runs{
      {"providers", {"providers"}},
      {"providers --json", {"providers", "--json"}},
      {"generate (401)", {"--log-level", "trace", "generate", "hi"}},
      {"generate --json (401)", {"--log-level", "debug", "generate", "--json", "hi"}},
      {"generate --stream (401)", {"--log-level", "trace", "generate", "--stream", "hi"}},
  };
  for (const auto& [name, args] : runs) {
    SCOPED_TRACE(std::string(name));
    std::vector<std::string> full{"--plugins-dir",
                                  preparePlugins(Plugins::BitRouterAndEcho).string()};
    full.insert(full.end(), args.begin(), args.end());
    const ProcessResult result = runProcess(AGENT_HOST_EXE, full, env);
    expectNoSecret(result.out, "stdout");
    expectNoSecret(result.err, "stderr");
  }
  for (const auto& [name, environment] :
       {std::pair<std::string_view, const EnvMap*>{"BitRouter down", &down},
        std::pair<std::string_view, const EnvMap*>{"a config error", &badNumber}}) {
    SCOPED_TRACE(std::string(name));
    const ProcessResult result =
        runProcess(AGENT_HOST_EXE,
                   {"--plugins-dir", preparePlugins(Plugins::BitRouterAndEcho).string(),
                    "--log-level", "trace", "generate", "hi"},
                   *environment);
    EXPECT_NE(result.exitCode, 0);
    expectNoSecret(result.out, "stdout");
    expectNoSecret(result.err, "stderr");
  }
  // The 401 runs reached the stand-in with the key.
  expectKeySentAsBearer();
}

}  // namespace
}  // namespace agent::bitrouter::integration
