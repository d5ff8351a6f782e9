// BitRouterStandinTest: the stand-in speaks BitRouter's wire contract, and its faults really
// happen on the wire. Every test talks to a live server through a plain Poco HTTP/1.1 client.
#include <chrono>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "BitRouterStandin.hpp"

namespace agent::standin {
namespace {

using namespace std::chrono_literals;
using Poco::Net::HTTPClientSession;
using Poco::Net::HTTPMessage;
using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kValidKey = "brvk_validvalidvalidvalidvalidvalidvalidvalidval";

struct Reply {
  int status = 0;
  HTTPResponse response;
  std::string body;
  std::string header(const std::string& name) const { return response.get(name, ""); }
};

std::unique_ptr<HTTPClientSession> session(const BitRouterStandin& standin) {
  auto s = std::make_unique<HTTPClientSession>("127.0.0.1", standin.port());
  s->setKeepAlive(true);
  s->setTimeout(Poco::Timespan(5, 0));
  return s;
}

Reply send(HTTPClientSession& s, const std::string& method, const std::string& path,
           const std::string& body = {}, const Headers& headers = {},
           const std::string& contentType = "application/json") {
  HTTPRequest request(method, path, HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers)
    request.set(name, value);
  if (method == HTTPRequest::HTTP_POST) {
    if (!contentType.empty()) request.setContentType(contentType);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  s.sendRequest(request) << body;
  Reply reply;
  std::istream& in = s.receiveResponse(reply.response);
  Poco::StreamCopier::copyToString(in, reply.body);
  reply.status = reply.response.getStatus();
  return reply;
}

Reply post(HTTPClientSession& s, const std::string& body, const Headers& headers = {},
           const std::string& contentType = "application/json") {
  return send(s, HTTPRequest::HTTP_POST, "/v1/chat/completions", body, headers, contentType);
}

std::string chatBody(const std::string& model = "gpt-4o-mini", const std::string& extra = "") {
  return R"({"model":")" + model +
         R"(","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello"}])" +
         extra + "}";
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

// The string at a JSON pointer-ish path of object members, or "<missing>".
std::string stringAt(const rapidjson::Value& root, std::initializer_list<const char*> path) {
  const rapidjson::Value* value = &root;
  for (const char* key : path) {
    if (!value->IsObject()) return "<missing>";
    auto it = value->FindMember(key);
    if (it == value->MemberEnd()) return "<missing>";
    value = &it->value;
  }
  return value->IsString() ? value->GetString() : "<not a string>";
}

bool has(const rapidjson::Value& object, const char* key) {
  return object.IsObject() && object.FindMember(key) != object.MemberEnd();
}

void expectEnvelope(const Reply& reply, int status, const std::string& type,
                    const std::string& code, const std::string& messagePart) {
  EXPECT_EQ(reply.status, status) << reply.body;
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  auto json = parse(reply.body);
  EXPECT_EQ(stringAt(json, {"error", "type"}), type);
  EXPECT_EQ(stringAt(json, {"error", "code"}), code);
  EXPECT_NE(stringAt(json, {"error", "message"}).find(messagePart), std::string::npos)
      << stringAt(json, {"error", "message"});
}

// SSE data payloads of a complete stream body, in order ("[DONE]" included).
std::vector<std::string> dataFrames(const std::string& body) {
  std::vector<std::string> frames;
  std::size_t pos = 0;
  while ((pos = body.find("data: ", pos)) != std::string::npos) {
    auto end = body.find("\n\n", pos);
    frames.push_back(body.substr(pos + 6, end - pos - 6));
    pos = end;
  }
  return frames;
}

// One server shared by the tests that use default options; scripts and records reset per test.
class StandinTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StandinOptions options;
    options.keepaliveInterval = 50ms;
    standin_ = new BitRouterStandin(options);
    standin_->start();
  }
  static void TearDownTestSuite() {
    delete standin_;
    standin_ = nullptr;
  }
  void SetUp() override {
    standin_->clearScripts();
    standin_->resetRecords();
    client_ = session(*standin_);
  }
  BitRouterStandin& standin() { return *standin_; }
  HTTPClientSession& client() { return *client_; }

  static BitRouterStandin* standin_;
  std::unique_ptr<HTTPClientSession> client_;
};
BitRouterStandin* StandinTest::standin_ = nullptr;

TEST_F(StandinTest, HealthUnknownPathAndWrongMethod) {
  Reply health = send(client(), HTTPRequest::HTTP_GET, "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");

  Reply unknown = send(client(), HTTPRequest::HTTP_GET, "/v2/nothing");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, "");

  Reply wrongMethod = send(client(), HTTPRequest::HTTP_GET, "/v1/chat/completions");
  EXPECT_EQ(wrongMethod.status, 405);
  EXPECT_EQ(wrongMethod.body, "");
  EXPECT_EQ(wrongMethod.header("Allow"), "POST");
  EXPECT_EQ(standin().connectionCount(), 1u);
}

TEST_F(StandinTest, ModelsListIsSortedAndDuplicatedForCodex) {
  Reply plain = send(client(), HTTPRequest::HTTP_GET, "/v1/models");
  ASSERT_EQ(plain.status, 200);
  auto json = parse(plain.body);
  EXPECT_EQ(stringAt(json, {"object"}), "list");
  EXPECT_FALSE(has(json, "models"));
  const auto& data = json.FindMember("data")->value;
  ASSERT_TRUE(data.IsArray());
  ASSERT_EQ(data.Size(), defaultCatalog().size());
  for (rapidjson::SizeType i = 1; i < data.Size(); ++i) {
    EXPECT_LT(std::string(data[i - 1].FindMember("id")->value.GetString()),
              std::string(data[i].FindMember("id")->value.GetString()));
  }
  EXPECT_EQ(stringAt(data[0], {"object"}), "model");
  EXPECT_TRUE(data[0].FindMember("providers")->value.IsArray());
  EXPECT_FALSE(has(data[0], "created"));

  Reply codex = send(client(), HTTPRequest::HTTP_GET, "/v1/models", {},
                     {{"User-Agent", "Codex_CLI_rs/0.30"}});
  auto codexJson = parse(codex.body);
  ASSERT_TRUE(has(codexJson, "models"));
  EXPECT_EQ(codexJson.FindMember("models")->value.Size(), data.Size());
}

TEST_F(StandinTest, DefaultReplyHasBitRouterShape) {
  Reply reply = post(client(), chatBody(), {{"x-bitrouter-request-id", "req-123"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  auto json = parse(reply.body);
  EXPECT_EQ(stringAt(json, {"id"}), "req-123");
  EXPECT_EQ(stringAt(json, {"object"}), "chat.completion");
  EXPECT_EQ(stringAt(json, {"model"}), "gpt-4o-mini");
  EXPECT_FALSE(has(json, "created"));
  const auto& choice = json.FindMember("choices")->value[0];
  EXPECT_EQ(stringAt(choice, {"message", "role"}), "assistant");
  EXPECT_EQ(stringAt(choice, {"message", "content"}), "Stand-in reply from gpt-4o-mini: Hello");
  EXPECT_EQ(stringAt(choice, {"finish_reason"}), "stop");
  const auto& usage = json.FindMember("usage")->value;
  int prompt = usage.FindMember("prompt_tokens")->value.GetInt();
  int completion = usage.FindMember("completion_tokens")->value.GetInt();
  EXPECT_GE(prompt, 1);
  EXPECT_GE(completion, 1);
  EXPECT_EQ(usage.FindMember("total_tokens")->value.GetInt(), prompt + completion);

  // Without the header the id is a fresh UUID, never "chatcmpl-".
  Reply second = post(client(), chatBody());
  EXPECT_EQ(stringAt(parse(second.body), {"id"}).size(), 36u);

  auto recorded = standin().requests();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].method, "POST");
  EXPECT_EQ(recorded[0].path, "/v1/chat/completions");
  EXPECT_EQ(recorded[0].headers.at("X-BITROUTER-REQUEST-ID"), "req-123");
  EXPECT_EQ(recorded[0].body, chatBody());
  EXPECT_EQ(standin().chatRequestCount(), 2u);
}

TEST_F(StandinTest, JsonResponseFormatGetsJsonContent) {
  Reply reply = post(client(), chatBody("gpt-4o", R"(,"response_format":{"type":"json_object"})"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto json = parse(reply.body);
  std::string content = stringAt(json.FindMember("choices")->value[0], {"message", "content"});
  auto inner = parse(content);
  EXPECT_TRUE(inner.IsObject());
}

TEST_F(StandinTest, ScriptedContentAndShapeFaults) {
  ResponseScript script;
  script.content = "scripted";
  script.finishReason = "length";
  script.omitUsage = true;
  standin().script(script);
  ResponseScript nullContent;
  nullContent.nullContent = true;
  standin().script(nullContent);

  auto first = parse(post(client(), chatBody()).body);
  const auto& choice = first.FindMember("choices")->value[0];
  EXPECT_EQ(stringAt(choice, {"message", "content"}), "scripted");
  EXPECT_EQ(stringAt(choice, {"finish_reason"}), "length");
  EXPECT_FALSE(has(first, "usage"));

  auto second = parse(post(client(), chatBody()).body);
  const auto& message = second.FindMember("choices")->value[0].FindMember("message")->value;
  EXPECT_TRUE(message.FindMember("content")->value.IsNull());
  EXPECT_EQ(standin().queuedScripts(), 0u);
}

TEST_F(StandinTest, UnknownModelIs404AndNamesAreResolvedLikeBitRouter) {
  expectEnvelope(post(client(), chatBody("no-such-model")), 404, "not_found_error", "not_found",
                 "not found: no active provider declares model 'no-such-model'");
  EXPECT_EQ(post(client(), chatBody("openai:anything-goes")).status, 200);
  EXPECT_EQ(post(client(), chatBody("openai/gpt-4o")).status, 200);
  expectEnvelope(post(client(), chatBody("groq:llama")), 404, "not_found_error", "not_found",
                 "'groq:llama'");
  expectEnvelope(post(client(), chatBody("@fast")), 400, "invalid_request_error", "invalid_request",
                 "bad request: unknown preset '@fast'");
  expectEnvelope(post(client(), chatBody("bitrouter/auto")), 400, "invalid_request_error",
                 "invalid_request", "'bitrouter/auto' needs a preset");
  expectEnvelope(post(client(), chatBody("  ")), 400, "invalid_request_error", "invalid_request",
                 "bad request: empty model name");
}

TEST_F(StandinTest, RequestValidationFailsWith400) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"messages":[]})", "missing field `model`"},
      {R"({"model":"gpt-4o"})", "missing field `messages`"},
      {R"({"model":"gpt-4o","messages":"hi"})", "expected a sequence"},
      {R"({"model":"gpt-4o","messages":[{"role":"robot","content":"x"}]})",
       "unknown message role 'robot'"},
      {R"({"model":"gpt-4o","messages":[{"role":"tool","content":"x"}]})",
       "tool message requires tool_call_id"},
      {chatBody("gpt-4o", R"(,"stream":null)"), "invalid type: null, expected a boolean"},
      {chatBody("gpt-4o", R"(,"max_tokens":"10")"), "expected u32"},
      {chatBody("gpt-4o", R"(,"max_tokens":1.5)"), "expected u32"},
      {chatBody("gpt-4o", R"(,"max_tokens":10,"max_completion_tokens":20)"),
       "max_tokens and max_completion_tokens must match"},
      {chatBody("gpt-4o",
                R"(,"response_format":{"type":"json_schema","json_schema":{"schema":{}}})"),
       "missing field `name`"},
      {chatBody("gpt-4o",
                R"(,"response_format":{"type":"json_schema","json_schema":{"name":"x"}})"),
       "missing field `schema`"},
      {chatBody("gpt-4o", R"(,"response_format":{"type":"xml"})"), "unknown variant `xml`"},
      {chatBody("gpt-4o", R"(,"reasoning_effort":"extreme")"), "unknown variant `extreme`"},
      {"[1,2]", "expected struct ChatRequest"},
  };
  for (const auto& [body, message] : cases) {
    SCOPED_TRACE(body);
    expectEnvelope(post(client(), body), 400, "invalid_request_error", "invalid_request", message);
  }
  // Valid edge cases still pass: equal limits, null Option fields, parts arrays.
  EXPECT_EQ(
      post(client(),
           chatBody("gpt-4o", R"(,"max_tokens":5,"max_completion_tokens":5,"temperature":null)"))
          .status,
      200);
  EXPECT_EQ(standin().queuedScripts(), 0u);
}

TEST_F(StandinTest, FrameworkRejectionsArePlainText) {
  Reply noJson = post(client(), chatBody(), {}, "text/plain");
  EXPECT_EQ(noJson.status, 415);
  EXPECT_EQ(noJson.body, "Expected request with `Content-Type: application/json`");
  EXPECT_EQ(noJson.header("Content-Type"), "text/plain; charset=utf-8");

  EXPECT_EQ(post(client(), chatBody(), {}, "application/vnd.api+json; charset=utf-8").status, 200);

  Reply malformed = post(client(), R"({"model":)");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.body.rfind("Failed to parse the request body as JSON: ", 0), 0u)
      << malformed.body;

  Reply emptyId = post(client(), chatBody(), {{"x-bitrouter-request-id", " "}});
  expectEnvelope(emptyId, 400, "invalid_request_error", "invalid_request",
                 "request id header must not be empty");
}

TEST_F(StandinTest, BodiesOver16MiBAre413) {
  std::string huge(16 * 1024 * 1024 + 1, ' ');
  Reply reply = post(client(), huge);
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.body, "Failed to buffer the request body: length limit exceeded");
  EXPECT_EQ(post(client(), chatBody()).status, 200);  // the connection survived
}

TEST_F(StandinTest, ScriptedStatusesCarryTheContractEnvelopeAndHeaders) {
  standin().script({.status = 429});
  Reply upstream429 = post(client(), chatBody());
  expectEnvelope(upstream429, 429, "rate_limit_error", "upstream_rate_limited",
                 "upstream rate limited");
  EXPECT_FALSE(upstream429.header("Retry-After").empty());
  EXPECT_EQ(upstream429.header("x-bitrouter-error-source"), "upstream");

  standin().script({.status = 429, .errorCode = "rate_limit_exceeded"});
  Reply local429 = post(client(), chatBody());
  expectEnvelope(local429, 429, "rate_limit_error", "rate_limit_exceeded", "rate limited");
  EXPECT_EQ(local429.header("Retry-After"), "60");
  EXPECT_FALSE(local429.response.has("x-bitrouter-error-source"));

  standin().script({.status = 503});
  Reply unavailable = post(client(), chatBody());
  expectEnvelope(unavailable, 503, "upstream_error", "upstream_unavailable",
                 "upstream unavailable");
  EXPECT_FALSE(unavailable.response.has("Retry-After"));

  standin().script({.errorCode = "upstream_timeout"});
  expectEnvelope(post(client(), chatBody()), 504, "upstream_error", "upstream_timeout",
                 "upstream timeout");
  standin().script({.status = 502, .errorCode = "upstream_invalid_response"});
  expectEnvelope(post(client(), chatBody()), 502, "upstream_error", "upstream_invalid_response",
                 "invalid response");
  standin().script({.status = 402});
  expectEnvelope(post(client(), chatBody()), 402, "payment_required", "upstream_payment_required",
                 "upstream payment required");
  standin().script({.status = 403});
  expectEnvelope(post(client(), chatBody()), 403, "permission_error", "permission_denied",
                 "forbidden: spend limit reached (");
  standin().script({.status = 500});
  expectEnvelope(post(client(), chatBody()), 500, "internal_error", "internal_error",
                 "internal error");

  standin().script({.status = 400, .errorCode = "upstream_bad_request"});
  auto passthrough = parse(post(client(), chatBody()).body);
  EXPECT_FALSE(has(passthrough.FindMember("error")->value, "type"));

  standin().script({.status = 429, .headers = {{"Retry-After", "7"}}});
  EXPECT_EQ(post(client(), chatBody()).header("Retry-After"), "7");

  standin().script({.body = "{\"choices\":[", .contentType = "application/json"});
  Reply truncated = post(client(), chatBody());
  EXPECT_EQ(truncated.status, 200);
  EXPECT_EQ(truncated.body, "{\"choices\":[");

  // A stream request that fails before streaming gets JSON, not SSE.
  standin().script({.status = 429});
  Reply streamed429 = post(client(), chatBody("gpt-4o", R"(,"stream":true)"));
  EXPECT_EQ(streamed429.status, 429);
  EXPECT_EQ(streamed429.header("Content-Type"), "application/json");
}

TEST_F(StandinTest, StreamFramingFollowsTheContract) {
  Reply reply = post(client(), chatBody("gpt-4o", R"(,"stream":true)"),
                     {{"x-bitrouter-request-id", "stream-1"}});
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("Content-Type"), "text/event-stream");
  EXPECT_EQ(reply.header("Cache-Control"), "no-cache");
  EXPECT_TRUE(reply.response.getChunkedTransferEncoding());
  EXPECT_EQ(reply.body.find("event:"), std::string::npos);

  auto frames = dataFrames(reply.body);
  ASSERT_GE(frames.size(), 3u);
  EXPECT_EQ(frames.back(), "[DONE]");
  std::string text;
  for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
    auto chunk = parse(frames[i]);
    EXPECT_EQ(stringAt(chunk, {"id"}), "stream-1");
    EXPECT_EQ(stringAt(chunk, {"object"}), "chat.completion.chunk");
    EXPECT_FALSE(has(chunk, "created"));
    EXPECT_FALSE(has(chunk, "usage"));
    const auto& choice = chunk.FindMember("choices")->value[0];
    const auto& delta = choice.FindMember("delta")->value;
    EXPECT_EQ(has(delta, "role"), i == 0);
    if (i + 2 < frames.size()) {
      text += stringAt(delta, {"content"});
      EXPECT_TRUE(choice.FindMember("finish_reason")->value.IsNull());
    } else {
      EXPECT_EQ(delta.MemberCount(), 0u);  // finish chunk: "delta":{}
      EXPECT_EQ(stringAt(choice, {"finish_reason"}), "stop");
    }
  }
  EXPECT_EQ(text, "Stand-in reply from gpt-4o: Hello");
  // The connection is reusable after a complete stream.
  EXPECT_EQ(post(client(), chatBody()).status, 200);
  EXPECT_EQ(standin().connectionCount(), 1u);
}

TEST_F(StandinTest, StreamFramesArriveIncrementally) {
  ResponseScript script;
  script.streamChunks = {"a", "b", "c", "d"};
  script.frameDelay = 60ms;
  standin().script(script);

  HTTPRequest request(HTTPRequest::HTTP_POST, "/v1/chat/completions", HTTPMessage::HTTP_1_1);
  std::string body = chatBody("gpt-4o", R"(,"stream":true)");
  request.setContentType("application/json");
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  client().sendRequest(request) << body;
  HTTPResponse response;
  std::istream& in = client().receiveResponse(response);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  auto firstFrameAt = std::chrono::steady_clock::now();
  EXPECT_EQ(line.rfind("data: ", 0), 0u);
  std::string rest;
  Poco::StreamCopier::copyToString(in, rest);
  EXPECT_NE(rest.find("data: [DONE]"), std::string::npos);
  auto lastSent = standin().lastStreamFrameSentAt();
  ASSERT_TRUE(lastSent.has_value());
  EXPECT_LT(firstFrameAt, *lastSent);
  EXPECT_GE(*lastSent - firstFrameAt, 200ms);
}

TEST_F(StandinTest, MidStreamErrorFrameThenDone) {
  ResponseScript script;
  script.streamChunks = {"partial ", "answer"};
  script.errorAfterFrames = 1;
  standin().script(script);
  Reply reply = post(client(), chatBody("gpt-4o", R"(,"stream":true)"));
  ASSERT_EQ(reply.status, 200);
  auto frames = dataFrames(reply.body);
  ASSERT_EQ(frames.size(), 3u) << reply.body;
  EXPECT_EQ(stringAt(parse(frames[0]).FindMember("choices")->value[0], {"delta", "content"}),
            "partial ");
  EXPECT_EQ(
      frames[1],
      R"({"error":{"message":"upstream timeout","type":"upstream_error","code":"upstream_timeout"}})");
  EXPECT_EQ(frames[2], "[DONE]");

  ResponseScript noFinish;
  noFinish.omitFinish = true;
  standin().script(noFinish);
  Reply truncated = post(client(), chatBody("gpt-4o", R"(,"stream":true)"));
  EXPECT_EQ(truncated.body.find("finish_reason\":\"stop"), std::string::npos);
  EXPECT_EQ(dataFrames(truncated.body).back(), "[DONE]");
}

TEST_F(StandinTest, KeepaliveCommentsFillIdleGaps) {
  ResponseScript script;
  script.streamChunks = {"slow"};
  script.frameDelay = 140ms;  // the suite's keepalive interval is 50 ms
  script.keepalivesBeforeFirstFrame = 1;
  standin().script(script);
  Reply reply = post(client(), chatBody("gpt-4o", R"(,"stream":true)"));
  EXPECT_EQ(reply.body.rfind(":keepalive\n\n", 0), 0u) << reply.body;
  std::size_t count = 0;
  for (std::size_t pos = 0; (pos = reply.body.find(":keepalive\n\n", pos)) != std::string::npos;
       ++pos) {
    ++count;
  }
  EXPECT_GE(count, 3u);
  EXPECT_EQ(dataFrames(reply.body).back(), "[DONE]");
}

TEST_F(StandinTest, CutStreamEndsWithoutDone) {
  ResponseScript script;
  script.streamChunks = {"one", "two", "three"};
  script.cutAfterFrames = 2;
  standin().script(script);
  std::string body;
  try {
    body = post(client(), chatBody("gpt-4o", R"(,"stream":true)")).body;
  } catch (const Poco::Exception&) {  // a clean EOF or an exception are both acceptable
  }
  EXPECT_EQ(body.find("[DONE]"), std::string::npos);
  EXPECT_EQ(body.find("three"), std::string::npos);
}

TEST_F(StandinTest, KeepAliveReusesOneConnection) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(post(client(), chatBody()).status, 200);
  EXPECT_EQ(standin().connectionCount(), 1u);
  EXPECT_EQ(standin().chatRequestCount(), 3u);

  Reply closing = post(client(), chatBody(), {{"Connection", "close"}});
  EXPECT_EQ(closing.status, 200);
  EXPECT_EQ(closing.header("Connection"), "close");
}

TEST_F(StandinTest, DropBeforeHeadersFailsTheClient) {
  standin().script({.dropBeforeHeaders = true});
  EXPECT_THROW(post(client(), chatBody()), Poco::Exception);
}

TEST_F(StandinTest, DropMidBodyDeliversLessThanPromised) {
  standin().script({.dropMidBody = true});
  std::string body;
  std::streamsize promised = 0;
  try {
    Reply reply = post(client(), chatBody());
    body = reply.body;
    promised = reply.response.getContentLength();
  } catch (const Poco::Exception&) {
  }
  EXPECT_LT(static_cast<std::streamsize>(body.size()), promised);
}

TEST_F(StandinTest, TrickledAndDelayedRepliesStillParse) {
  ResponseScript trickle;
  trickle.trickleHeaders = true;
  trickle.trickleDelay = 0ms;
  standin().script(trickle);
  EXPECT_EQ(post(client(), chatBody()).status, 200);

  standin().script({.delayBeforeHeaders = 150ms});
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(post(client(), chatBody()).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);
}

TEST_F(StandinTest, LargePaddedBody) {
  standin().script({.bodyPadBytes = 2 * 1024 * 1024});
  Reply reply = post(client(), chatBody());
  ASSERT_EQ(reply.status, 200);
  EXPECT_GT(reply.body.size(), 2u * 1024 * 1024);
  auto json = parse(reply.body);
  EXPECT_EQ(stringAt(json, {"object"}), "chat.completion");
}

TEST_F(StandinTest, AdminEndpointsScriptFaultsOutOfProcess) {
  Reply queued =
      send(client(), HTTPRequest::HTTP_POST, "/_standin/script", R"({"status":503,"count":2})");
  EXPECT_EQ(queued.status, 200);
  EXPECT_EQ(queued.body, R"({"queued":2})");
  EXPECT_EQ(post(client(), chatBody()).status, 503);
  EXPECT_EQ(post(client(), chatBody()).status, 503);
  EXPECT_EQ(post(client(), chatBody()).status, 200);

  Reply typo = send(client(), HTTPRequest::HTTP_POST, "/_standin/script", R"({"stauts":503})");
  EXPECT_EQ(typo.status, 400);
  EXPECT_NE(typo.body.find("stauts"), std::string::npos);

  auto stats = parse(send(client(), HTTPRequest::HTTP_GET, "/_standin/stats").body);
  EXPECT_EQ(stats.FindMember("chatRequests")->value.GetInt(), 3);
  EXPECT_EQ(stats.FindMember("connections")->value.GetInt(), 1);
  EXPECT_EQ(standin().requests().size(), 3u);  // admin calls are not recorded
}

TEST_F(StandinTest, PipelinedAndHttp10RequestsAreServedOnRawSockets) {
  // Two requests in one write: both answered, in order, on the same connection.
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", standin().port()));
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  std::string pipelined =
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  socket.sendBytes(pipelined.data(), static_cast<int>(pipelined.size()));
  std::string received;
  char buffer[4096];
  for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
    received.append(buffer, n);
  EXPECT_EQ(received.find("HTTP/1.1 200 OK"), 0u) << received;
  EXPECT_NE(received.find("HTTP/1.1 404 Not Found"), std::string::npos) << received;

  // HTTP/1.0 cannot be chunked: the stream is raw and ends with the connection.
  Poco::Net::StreamSocket legacy(Poco::Net::SocketAddress("127.0.0.1", standin().port()));
  legacy.setReceiveTimeout(Poco::Timespan(5, 0));
  std::string body = chatBody("gpt-4o", R"(,"stream":true)");
  std::string request =
      "POST /v1/chat/completions HTTP/1.0\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  legacy.sendBytes(request.data(), static_cast<int>(request.size()));
  received.clear();
  for (int n; (n = legacy.receiveBytes(buffer, sizeof buffer)) > 0;)
    received.append(buffer, n);
  EXPECT_EQ(received.find("transfer-encoding"), std::string::npos) << received;
  EXPECT_NE(received.find("\r\n\r\ndata: {"), std::string::npos) << received;
  EXPECT_EQ(dataFrames(received).back(), "[DONE]");
}

// --- Tests with their own server -----------------------------------------------------------

TEST(StandinAuthTest, VirtualKeysAreCheckedWithBitRouterMessages) {
  StandinOptions options;
  options.skipAuth = false;
  options.validKeys = {kValidKey};
  options.revokedKeys = {"brvk_revoked"};
  options.expiredKeys = {"brvk_expired"};
  BitRouterStandin standin(options);
  standin.start();
  auto client = session(standin);

  auto expect401 = [&](const Headers& headers, const std::string& message) {
    SCOPED_TRACE(message);
    Reply reply = post(*client, chatBody(), headers);
    expectEnvelope(reply, 401, "authentication_error", "authentication_error", message);
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer realm=\"bitrouter\"");
  };
  expect401({}, "unauthorized: missing API key");
  expect401({{"Authorization", "Bearer sk-openai"}},
            "unauthorized: credential is not a brvk_ virtual key");
  expect401({{"Authorization", std::string("bearer ") + kValidKey}},
            "unauthorized: credential is not a brvk_ virtual key");
  expect401({{"Authorization", "Bearer brvk_somebodyelse"}}, "unauthorized: unknown API key");
  expect401({{"Authorization", "Bearer brvk_revoked"}}, "unauthorized: API key is inactive");
  expect401({{"x-api-key", "brvk_expired"}}, "unauthorized: API key has expired");

  EXPECT_EQ(
      post(*client, chatBody(), {{"Authorization", std::string("Bearer ") + kValidKey}}).status,
      200);
  EXPECT_EQ(post(*client, chatBody(), {{"x-api-key", kValidKey}}).status, 200);
  // Order: a malformed body is 400 before any 401; an unknown model is 404 only after auth.
  EXPECT_EQ(post(*client, "{oops").status, 400);
  EXPECT_EQ(post(*client, chatBody("nope")).status, 401);
  EXPECT_EQ(post(*client, chatBody("nope"), {{"x-api-key", kValidKey}}).status, 404);
  // Models and health stay open.
  EXPECT_EQ(send(*client, HTTPRequest::HTTP_GET, "/v1/models").status, 200);
  EXPECT_EQ(send(*client, HTTPRequest::HTTP_GET, "/health").status, 200);
}

TEST(StandinLifecycleTest, StopEndsAHeldRequestPromptly) {
  BitRouterStandin standin;
  standin.start();
  standin.script({.neverAnswer = true});
  auto pending = std::async(std::launch::async, [&] {
    auto client = session(standin);
    client->setTimeout(Poco::Timespan(10, 0));
    try {
      post(*client, chatBody());
      return std::string("answered");
    } catch (const Poco::Exception& error) {
      return std::string("failed");
    }
  });
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (standin.chatRequestCount() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  std::this_thread::sleep_for(50ms);  // let the request reach the hold
  auto started = std::chrono::steady_clock::now();
  standin.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  ASSERT_EQ(pending.wait_for(2s), std::future_status::ready);
  EXPECT_EQ(pending.get(), "failed");
  EXPECT_FALSE(standin.running());
}

TEST(StandinLifecycleTest, RestartsOnTheSamePort) {
  BitRouterStandin standin;
  standin.start();
  auto port = standin.port();
  EXPECT_EQ(standin.baseUrl(), "http://127.0.0.1:" + std::to_string(port));
  standin.stop();
  standin.stop();  // idempotent
  standin.start();
  EXPECT_EQ(standin.port(), port);
  auto client = session(standin);
  EXPECT_EQ(send(*client, HTTPRequest::HTTP_GET, "/health").status, 200);
}

}  // namespace
}  // namespace agent::standin
