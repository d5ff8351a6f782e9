// What the plugin really puts on the wire, as the stand-in recorded it: bodies (compared as parsed
// JSON, so key order does not matter), headers, request ids and connection reuse.
#include <limits>
#include <set>
#include <string>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

ChatMessage message(std::string role, std::string content) {
  ChatMessage out;
  out.role = std::move(role);
  out.content = std::move(content);
  return out;
}

using WireFormatTest = BitRouterIntegrationTest;

// Compares the recorded body with the expected JSON as values (member order ignored, 1 == 1.0).
void expectBody(const rapidjson::Document& actual, std::string_view expectedJson) {
  const rapidjson::Document expected = parseJson(expectedJson);
  EXPECT_TRUE(actual == expected) << "sent:     " << toJson(actual)
                                  << "\nexpected: " << expectedJson;
}

std::string header(const standin::RecordedRequest& request, const std::string& name) {
  const auto it = request.headers.find(name);
  return it == request.headers.end() ? std::string() : it->second;
}

TEST_F(WireFormatTest, DefaultCallMatchesTheTypeScriptGolden) {
  makeHost();
  const ModelResult result = call(ModelType::TextSmall, "Say hello");
  ASSERT_TRUE(result.ok()) << describe(result);
  expectBody(lastChatBody(),
             R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]})");

  const auto chats = chatRequests();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0].method, "POST");
  EXPECT_EQ(chats[0].path, "/v1/chat/completions");
  EXPECT_TRUE(contains(header(chats[0], "Content-Type"), "application/json"));
  EXPECT_TRUE(contains(header(chats[0], "User-Agent"), "agent-host-bitrouter/"))
      << header(chats[0], "User-Agent");
  EXPECT_EQ(header(chats[0], "Accept"), "application/json");
}

TEST_F(WireFormatTest, UnicodeAndEscapesRoundTripExactly) {
  makeHost();
  const std::string prompt =
      "h\u00e9llo \"quoted\" back\\slash\ttab\nnew line \u4e16\u754c \U0001F680";
  GenerateTextParams params = withPrompt(prompt);
  params.system = "syst\u00e8me";
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_TRUE(result.ok()) << describe(result);
  const rapidjson::Document body = lastChatBody();
  EXPECT_EQ(std::string(body["messages"][0]["content"].GetString()), "syst\u00e8me");
  EXPECT_EQ(std::string(body["messages"][1]["content"].GetString(),
                        body["messages"][1]["content"].GetStringLength()),
            prompt);
  EXPECT_EQ(result.output().text, "Stand-in reply from gpt-4o-mini: " + prompt);
}

TEST_F(WireFormatTest, EveryCallParameterIsForwardedWithIntegersKeptIntegral) {
  makeHost();
  GenerateTextParams params = withPrompt("Write one short sentence about routers.");
  params.system = "You are a terse assistant.";
  params.maxTokens = 256;
  params.temperature = 0.3;
  params.topP = 0.9;
  params.frequencyPenalty = 0.1;
  params.presencePenalty = 0.2;
  params.stopSequences = std::vector<std::string>{"END", "STOP"};
  params.seed = 42;
  params.topK = 40;  // not part of BitRouter's request: never sent
  params.user = "agent-name";
  const ModelResult result = call(ModelType::TextLarge, params);
  ASSERT_TRUE(result.ok()) << describe(result);

  const auto body = lastChatBody();
  expectBody(body, R"({"model":"gpt-4o","max_tokens":256,"temperature":0.3,"top_p":0.9,
      "frequency_penalty":0.1,"presence_penalty":0.2,"stop":["END","STOP"],"seed":42,
      "messages":[{"role":"system","content":"You are a terse assistant."},
                  {"role":"user","content":"Write one short sentence about routers."}]})");
  // BitRouter parses max_tokens as u32 and seed as i64: 256.0 would be a 400.
  EXPECT_TRUE(body["max_tokens"].IsInt64() && !body["max_tokens"].IsDouble());
  EXPECT_TRUE(body["seed"].IsInt64() && !body["seed"].IsDouble());
}

TEST_F(WireFormatTest, StreamWithoutACallbackIsAPlainCall) {
  makeHost();
  GenerateTextParams params = withPrompt("Say hello");
  params.stream = true;  // nobody to hand chunks to: nothing to stream
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_FALSE(lastChatBody().HasMember("stream")) << toJson(lastChatBody());
  EXPECT_EQ(result.output().text, "Stand-in reply from gpt-4o-mini: Say hello");
}

TEST_F(WireFormatTest, MessagesReplaceThePromptAndGetTheSystemPromptFirst) {
  makeHost();
  GenerateTextParams params = withPrompt("ignored when messages are given");
  params.system = "Be brief.";
  params.messages = {message("user", "Hi"), message("assistant", "Hello!"),
                     message("user", "How are you?")};
  ASSERT_TRUE(call(ModelType::TextSmall, params).ok());
  expectBody(lastChatBody(), R"({"model":"gpt-4o-mini","messages":[
      {"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},
      {"role":"assistant","content":"Hello!"},{"role":"user","content":"How are you?"}]})");

  // Messages that carry their own system prompt are sent as they are.
  params.messages = {message("system", "Own system."), message("user", "Hi")};
  const ModelResult result = call(ModelType::TextSmall, params);
  ASSERT_TRUE(result.ok()) << describe(result);
  expectBody(lastChatBody(), R"({"model":"gpt-4o-mini","messages":[
      {"role":"system","content":"Own system."},{"role":"user","content":"Hi"}]})");
  EXPECT_EQ(result.output().text, "Stand-in reply from gpt-4o-mini: Hi");
}

TEST_F(WireFormatTest, NumericSettingsAreMergedUnderTheCallsOwnParams) {
  makeHost({{"DEFAULT_TEMPERATURE", "0.55"},
            {"TEXT_SMALL_MAX_TOKENS", "99"},
            {"DEFAULT_SEED", "7"},
            {"TEXT_LARGE_MAX_TOKENS", "500"}});
  ASSERT_TRUE(call(ModelType::TextSmall, "Say hello").ok());
  expectBody(lastChatBody(), R"({"model":"gpt-4o-mini","max_tokens":99,"temperature":0.55,
      "seed":7,"messages":[{"role":"user","content":"Say hello"}]})");

  // The call's own values win over the settings.
  GenerateTextParams params = withPrompt("Say hello");
  params.temperature = 0.9;
  params.maxTokens = 12;
  ASSERT_TRUE(call(ModelType::TextSmall, params).ok());
  expectBody(lastChatBody(), R"({"model":"gpt-4o-mini","max_tokens":12,"temperature":0.9,
      "seed":7,"messages":[{"role":"user","content":"Say hello"}]})");
}

TEST_F(WireFormatTest, CharacterSecretsAndSettingsOutrankTheEnvironment) {
  restartStandin(authModeOptions());
  character_.name = "Routy";
  character_.secrets["BITROUTER_API_KEY"] = std::string(kValidKey);
  character_.settings["BITROUTER_SMALL_MODEL"] = "openai/gpt-4o-mini";
  character_.settings["DEFAULT_MAX_TOKENS"] = "64";
  makeHost({{"BITROUTER_SMALL_MODEL", "gpt-4o"}, {"BITROUTER_API_KEY", "brvk_fromTheEnvironment"}});
  const ModelResult result = call(ModelType::TextSmall, "Say hello");
  ASSERT_TRUE(result.ok()) << describe(result);
  const auto chats = chatRequests();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(header(chats[0], "Authorization"), "Bearer " + std::string(kValidKey));
  // The character's name becomes the call's `user`, which the plugin does not send.
  expectBody(lastChatBody(), R"({"model":"openai/gpt-4o-mini","max_tokens":64,
      "messages":[{"role":"user","content":"Say hello"}]})");
}

TEST_F(WireFormatTest, LlmModeLargeSendsSmallTiersToTheLargeModel) {
  makeHost({{"LLM_MODE", "LARGE"}});
  for (const ModelType type : {ModelType::TextSmall, ModelType::TextNano}) {
    const ModelResult result = call(type, "Say hello");
    ASSERT_TRUE(result.ok()) << describe(result);
    EXPECT_EQ(std::string(lastChatBody()["model"].GetString()), "gpt-4o");
    ASSERT_FALSE(modelUsed().empty());
    EXPECT_EQ(modelUsed().back().type, ModelType::TextLarge);
    EXPECT_EQ(modelUsed().back().model, "gpt-4o");
  }

  makeHost({{"LLM_MODE", "small"}});
  ASSERT_TRUE(call(ModelType::TextMega, "Say hello").ok());
  EXPECT_EQ(std::string(lastChatBody()["model"].GetString()), "gpt-4o-mini");
  EXPECT_EQ(modelUsed().back().type, ModelType::TextSmall);
}

TEST_F(WireFormatTest, ApiKeyIsSentAsBearerAndNoAuthorizationWithoutOne) {
  restartStandin(authModeOptions());
  makeHost({{"BITROUTER_API_KEY", std::string(kValidKey)}});
  ASSERT_TRUE(call(ModelType::TextSmall, "hi").ok());
  auto chats = chatRequests();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(header(chats[0], "Authorization"), "Bearer " + std::string(kValidKey));

  // A pasted key's surrounding whitespace (a trailing newline, say) is trimmed.
  standin().resetRecords();
  makeHost({{"BITROUTER_API_KEY", "  " + std::string(kValidKey) + "\n"}});
  ASSERT_TRUE(call(ModelType::TextSmall, "hi").ok());
  chats = chatRequests();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(header(chats[0], "Authorization"), "Bearer " + std::string(kValidKey));

  // A blank key is no key: no Authorization header at all (BitRouter with skip_auth).
  restartStandin({});
  for (const EnvMap& env : {EnvMap{}, EnvMap{{"BITROUTER_API_KEY", "   "}}}) {
    standin().resetRecords();
    makeHost(env);
    ASSERT_TRUE(call(ModelType::TextSmall, "hi").ok());
    chats = chatRequests();
    ASSERT_EQ(chats.size(), 1u);
    EXPECT_EQ(chats[0].headers.count("Authorization"), 0u) << header(chats[0], "Authorization");
    EXPECT_EQ(chats[0].headers.count("x-api-key"), 0u);
  }
}

TEST_F(WireFormatTest, EveryAttemptCarriesAFreshRequestId) {
  makeHost();
  standin().scriptRepeated({.status = 503}, 2);
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_TRUE(result.ok()) << describe(result);
  const auto chats = chatRequests();
  ASSERT_EQ(chats.size(), 3u);
  std::set<std::string> ids;
  for (const auto& request : chats) {
    const std::string id = header(request, "x-bitrouter-request-id");
    EXPECT_FALSE(id.empty());
    EXPECT_LE(id.size(), 128u);  // BitRouter's cap on /v1/responses; keep well inside it
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 3u) << "a request id was reused across retries";

  // A failed call reports the id of its last attempt.
  standin().resetRecords();
  standin().script({.status = 400});
  const ModelResult failed = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(failed.ok());
  ASSERT_EQ(chatRequests().size(), 1u);
  EXPECT_EQ(failed.error().requestId, header(chatRequests()[0], "x-bitrouter-request-id"));
  EXPECT_TRUE(contains(failed.error().message, failed.error().requestId));
}

TEST_F(WireFormatTest, SequentialCallsReuseOneKeptAliveConnection) {
  makeHost();
  constexpr int kCalls = 6;
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_TRUE(call(ModelType::TextSmall, "call " + std::to_string(i)).ok());
  }
  EXPECT_EQ(standin().chatRequestCount(), static_cast<std::size_t>(kCalls));
  EXPECT_EQ(standin().connectionCount(), 1u);
  for (const auto& request : chatRequests()) {
    EXPECT_FALSE(contains(header(request, "Connection"), "close")) << header(request, "Connection");
  }
}

TEST_F(WireFormatTest, ErrorRepliesAndFinishedStreamsKeepTheConnection) {
  makeHost();
  standin().script({.status = 400});
  EXPECT_FALSE(call(ModelType::TextSmall, "a").ok());
  standin().script({.status = 404});
  EXPECT_FALSE(call(ModelType::TextSmall, "b").ok());
  standin().script({.status = 503});
  EXPECT_TRUE(call(ModelType::TextSmall, "c").ok());
  GenerateTextParams streamed = withPrompt("d");
  streamed.stream = true;
  streamed.onChunk = [](std::string_view) { return true; };
  EXPECT_TRUE(call(ModelType::TextSmall, streamed).ok());
  EXPECT_TRUE(call(ModelType::TextSmall, "e").ok());
  EXPECT_EQ(standin().chatRequestCount(), 6u);
  EXPECT_EQ(standin().connectionCount(), 1u);
}

TEST_F(WireFormatTest, ServerConnectionCloseIsHonoured) {
  makeHost();
  standin().script({.headers = {{"Connection", "close"}}});
  ASSERT_TRUE(call(ModelType::TextSmall, "first").ok());
  const ModelResult second = call(ModelType::TextSmall, "second");
  ASSERT_TRUE(second.ok()) << describe(second);
  EXPECT_EQ(second.output().text, "Stand-in reply from gpt-4o-mini: second");
  EXPECT_EQ(standin().chatRequestCount(), 2u);
  EXPECT_EQ(standin().connectionCount(), 2u);
}

TEST_F(WireFormatTest, TrailingSlashIsStrippedAndAPathPrefixIsKept) {
  makeHost({{"BITROUTER_BASE_URL", standin().baseUrl() + "///"}});
  ASSERT_TRUE(call(ModelType::TextSmall, "hi").ok());
  EXPECT_EQ(chatRequests().back().path, "/v1/chat/completions");

  // The stand-in has no /gateway prefix: its 404 has an empty body, as axum's does. The error
  // must point at the base URL, not at the model.
  standin().resetRecords();
  makeHost({{"BITROUTER_BASE_URL", standin().baseUrl() + "/gateway/"}});
  const ModelResult result = call(ModelType::TextSmall, "hi");
  ASSERT_FALSE(result.ok());
  const auto requests = standin().requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/gateway/v1/chat/completions");
  EXPECT_EQ(result.error().kind, ErrorKind::NotFound) << describe(result);
  EXPECT_EQ(result.error().httpStatus, 404);
  EXPECT_TRUE(contains(result.error().message, "BITROUTER_BASE_URL")) << result.error().message;
  EXPECT_TRUE(contains(result.error().message, "/gateway/v1/chat/completions"))
      << result.error().message;
}

TEST_F(WireFormatTest, InvalidParamsAreRefusedLocallyWithoutARequest) {
  makeHost();
  GenerateTextParams zeroTokens = withPrompt("hi");
  zeroTokens.maxTokens = 0;
  GenerateTextParams toolRole = withPrompt("hi");
  toolRole.messages = {message("tool", "result")};
  GenerateTextParams notUtf8 = withPrompt("caf\xC3");
  GenerateTextParams infinite = withPrompt("hi");
  infinite.temperature = std::numeric_limits<double>::infinity();
  for (const auto& params : {zeroTokens, toolRole, notUtf8, infinite}) {
    const ModelResult result = call(ModelType::TextSmall, params);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::BadRequest) << describe(result);
  }
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

}  // namespace
}  // namespace agent::bitrouter::integration
