// Faults seen through the real agent-host binary: exit codes, one stderr line, valid JSON with
// --json whatever bytes the server sent, and no key in any output even at --log-level debug.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "FaultSupport.hpp"

namespace agent::faults {
namespace {

using standin::ResponseScript;

class CliFaultTest : public FaultTest {
 protected:
  ProcessResult generate(std::vector<std::string> options, const EnvMap& overrides = {}) {
    std::vector<std::string> args{"--plugins-dir", pluginsDir_.path().string(), "--log-level",
                                  "debug", "generate"};
    args.insert(args.end(), options.begin(), options.end());
    args.emplace_back("a prompt");
    EnvMap env = baseEnv();
    for (const auto& [key, value] : overrides)
      env[key] = value;
    ProcessResult result = runProcess(AGENT_HOST_EXE, args, env);
    EXPECT_FALSE(contains(result.out, kSecretKey)) << "the key is on stdout";
    EXPECT_FALSE(contains(result.err, kSecretKey)) << "the key is on stderr";
    return result;
  }

  // The lines of stderr that are not log lines (the log is on stderr too).
  static std::vector<std::string> nonLogLines(const std::string& err) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < err.size()) {
      std::size_t end = err.find('\n', start);
      if (end == std::string::npos) end = err.size();
      const std::string line = err.substr(start, end - start);
      if (line.rfind("agent-host:", 0) == 0) lines.push_back(line);
      start = end + 1;
    }
    return lines;
  }
};

// Strict: UTF-8 is validated too, as any JSON consumer downstream may do.
::testing::AssertionResult isValidJson(const std::string& text) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str(), text.size());
  if (document.HasParseError()) {
    return ::testing::AssertionFailure()
           << rapidjson::GetParseError_En(document.GetParseError()) << " at offset "
           << document.GetErrorOffset() << " in: " << text.substr(0, 200);
  }
  if (!document.IsObject() || !document.HasMember("text") || !document["text"].IsString()) {
    return ::testing::AssertionFailure() << "no text member in: " << text.substr(0, 200);
  }
  return ::testing::AssertionSuccess();
}

TEST_F(CliFaultTest, InvalidUtf8ReplyPrintsAndJsonStaysValid) {
  const std::string invalid = "bad \xff\xfe bytes \xc3( end";
  standin().script({.content = invalid});
  const ProcessResult plain = generate({});
  EXPECT_EQ(plain.exitCode, 0) << plain.err;
  EXPECT_EQ(plain.out, invalid + "\n");  // plain output is the bytes the model sent

  standin().script({.content = invalid});
  const ProcessResult json = generate({"--json"});
  EXPECT_EQ(json.exitCode, 0) << json.err;
  EXPECT_TRUE(isValidJson(json.out));
  EXPECT_TRUE(contains(json.out, "bad \xef\xbf\xbd")) << json.out;  // U+FFFD replaces the bytes

  standin().script({.streamChunks = {"bad \xff", " stream"}});
  const ProcessResult streamedJson = generate({"--stream", "--json"});
  EXPECT_EQ(streamedJson.exitCode, 0) << streamedJson.err;
  EXPECT_TRUE(isValidJson(streamedJson.out));
}

// A junk file whose name is not UTF-8 ends up in the report (path and reason) as text.
TEST_F(CliFaultTest, ProvidersJsonStaysValidWithANonUtf8FileName) {
  pluginsDir_.write("junk-\xff\xfe.so", "not a library");
  const ProcessResult result =
      runProcess(AGENT_HOST_EXE,
                 {"--plugins-dir", pluginsDir_.path().string(), "providers", "--json"}, baseEnv());
  EXPECT_EQ(result.exitCode, 0) << result.err;
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(result.out.c_str(), result.out.size());
  EXPECT_FALSE(document.HasParseError())
      << rapidjson::GetParseError_En(document.GetParseError()) << " at "
      << document.GetErrorOffset() << " in " << result.out;
  EXPECT_TRUE(contains(result.out, "junk-\xef\xbf\xbd\xef\xbf\xbd.so")) << result.out;
  EXPECT_FALSE(contains(result.out, kSecretKey));
}

// JSON the user hands the CLI is parsed before any plugin loads; nesting must not crash it.
TEST_F(CliFaultTest, DeeplyNestedCharacterAndSchemaAreUsageErrorsNotCrashes) {
  const std::string deep(1'000'000, '[');
  const auto character = pluginsDir_.write("deep-character.json", deep);
  const ProcessResult withCharacter =
      runProcess(AGENT_HOST_EXE, {"--character", character.string(), "providers"}, baseEnv());
  EXPECT_EQ(withCharacter.exitCode, 2) << withCharacter.err.substr(0, 500);
  EXPECT_TRUE(contains(withCharacter.err, "not valid JSON")) << withCharacter.err.substr(0, 500);

  const auto schema = pluginsDir_.write("deep-schema.json", deep);
  const ProcessResult withSchema = generate({"--schema", schema.string()});
  EXPECT_EQ(withSchema.exitCode, 2) << withSchema.err.substr(0, 500);
}

TEST_F(CliFaultTest, NeverAnsweringServerExitsOneAtTheDeadline) {
  standin().scriptRepeated({.neverAnswer = true}, 4);
  const ProcessResult result = generate({}, {{"BITROUTER_TIMEOUT_MS", "1000"}});
  EXPECT_EQ(result.exitCode, 1) << result.err;
  const auto lines = nonLogLines(result.err);
  ASSERT_EQ(lines.size(), 1u) << result.err;
  EXPECT_TRUE(contains(lines[0], "timeout")) << lines[0];
  EXPECT_LE(result.elapsed, milliseconds(1000) + deadlineSlack() + milliseconds(2000));
}

TEST_F(CliFaultTest, StreamCutMidwayPrintsThePartialTextThenOneErrorLine) {
  standin().script({.streamChunks = {"partial ", "text ", "lost"}, .cutAfterFrames = 2});
  const ProcessResult result = generate({"--stream"});
  EXPECT_EQ(result.exitCode, 1) << result.err;
  EXPECT_EQ(result.out, "partial text \n");
  const auto lines = nonLogLines(result.err);
  ASSERT_EQ(lines.size(), 1u) << result.err;
  EXPECT_TRUE(contains(lines[0], "truncated")) << lines[0];
}

TEST_F(CliFaultTest, OversizedBodyExitsOneNamingTheLimit) {
  standin().script({.content = "big", .bodyPadBytes = 20'000'000});
  const ProcessResult result = generate({}, {{"BITROUTER_TIMEOUT_MS", "20000"}});
  EXPECT_EQ(result.exitCode, 1) << result.err.substr(0, 2000);
  const auto lines = nonLogLines(result.err);
  ASSERT_EQ(lines.size(), 1u) << result.err.substr(0, 2000);
  EXPECT_TRUE(contains(lines[0], "BITROUTER_MAX_RESPONSE_BYTES")) << lines[0];
  EXPECT_TRUE(result.out.empty());
}

TEST_F(CliFaultTest, EveryFaultPathKeepsTheKeyOutOfTheOutput) {
  const std::vector<ResponseScript> faults = {
      {.dropBeforeHeaders = true},
      {.dropMidBody = true},
      {.status = 401, .errorMessage = "key " + std::string(kSecretKey) + " rejected"},
      {.status = 500, .body = "echo " + std::string(kSecretKey)},
      {.body = "{\"choices\": [" + std::string(kSecretKey)},
      {.streamChunks = {"x"}, .errorAfterFrames = 0},
  };
  for (const ResponseScript& fault : faults) {
    standin().scriptRepeated(fault, 3);
    const bool stream = !fault.streamChunks.empty();
    const ProcessResult result =
        generate(stream ? std::vector<std::string>{"--stream"} : std::vector<std::string>{},
                 {{"BITROUTER_MAX_RETRIES", "1"}});
    EXPECT_EQ(result.exitCode, 1) << result.err;
    standin().clearScripts();
  }
}

}  // namespace
}  // namespace agent::faults
