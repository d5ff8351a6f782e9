// BitRouterClient over real loopback HTTP: keep-alive, retries, timeouts, streaming.

#include "agent/bitrouter/BitRouterClient.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <regex>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "LoopbackServer.hpp"
#include "RawServer.hpp"

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::RecordedRequest;
using Response = Poco::Net::HTTPServerResponse;

const char* kHelloBody =
    R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]})";

BitRouterConfig configFor(const std::string& baseUrl,
                          std::map<std::string, std::string, std::less<>> settings = {}) {
  settings.emplace("BITROUTER_BASE_URL", baseUrl);
  settings.emplace("BITROUTER_RETRY_BASE_MS", "0");
  return BitRouterConfig::fromSettings(lookupFromMap(std::move(settings)));
}

// Records the waits between attempts instead of sleeping through them.
struct SleepLog {
  std::mutex mutex;
  std::vector<std::chrono::milliseconds> waits;
  ClientOptions options() {
    ClientOptions options;
    options.sleep = [this](std::chrono::milliseconds wait) {
      std::lock_guard<std::mutex> lock(mutex);
      waits.push_back(wait);
    };
    return options;
  }
};

GenerateTextParams hello() {
  GenerateTextParams params;
  params.prompt = "Say hello";
  return params;
}

TEST(BitRouterClientLoopback, NonStreamingSuccess) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(response, 200, test::completionJson(R"("Hello!")"));
  });
  BitRouterClient client(configFor(server.baseUrl()));
  const ModelResult result = client.chat("gpt-4o-mini", hello());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "Hello!");
  EXPECT_EQ(result.output().finishReason, "stop");
  EXPECT_EQ(result.output().model, "gpt-4o-mini");
  EXPECT_EQ(result.output().usage.promptTokens, 11);
  EXPECT_EQ(result.output().usage.totalTokens, 18);
  EXPECT_FALSE(result.output().usage.estimated);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const RecordedRequest& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.uri, "/v1/chat/completions");
  EXPECT_EQ(request.version, "HTTP/1.1");
  EXPECT_EQ(request.body, kHelloBody);
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_FALSE(request.has("authorization"));
  EXPECT_TRUE(std::regex_match(
      request.header("x-bitrouter-request-id"),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
}

TEST(BitRouterClientLoopback, KeySentAsBearerAndPathPrefixKept) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(response, 200, test::completionJson(R"("ok")"));
  });
  BitRouterClient client(
      configFor(server.baseUrl() + "/gateway/", {{"BITROUTER_API_KEY", "brvk_loopbacktestkey"}}));
  ASSERT_TRUE(client.chat("m", hello()).ok());
  const RecordedRequest request = server.requests().at(0);
  EXPECT_EQ(request.uri, "/gateway/v1/chat/completions");
  EXPECT_EQ(request.header("authorization"), "Bearer brvk_loopbacktestkey");
}

TEST(BitRouterClientLoopback, ConnectionsAreReused) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(response, 200, test::completionJson(R"("ok")"));
  });
  BitRouterClient client(configFor(server.baseUrl()));
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(client.chat("m", hello()).ok());
  EXPECT_EQ(server.requestCount(), 5);
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(client.idleConnections(), 1u);
}

TEST(BitRouterClientLoopback, ManyThreadsAtOnce) {
  LoopbackServer server([](const RecordedRequest& request, Response& response, int) {
    std::this_thread::sleep_for(5ms);
    LoopbackServer::json(response, 200,
                         test::completionJson("\"" + std::to_string(request.body.size()) + "\""));
  });
  BitRouterClient client(configFor(server.baseUrl()));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        GenerateTextParams params;
        params.prompt = std::string(static_cast<std::size_t>(t + 1), 'x');
        const ModelResult result = client.chat("m", params);
        const std::string expected = std::to_string(
            std::string(R"({"model":"m","messages":[{"role":"user","content":""}]})").size() +
            params.prompt.size());
        if (!result.ok() || result.output().text != expected) ++failures;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server.requestCount(), 80);
  EXPECT_LE(server.connections(), 8);
}

TEST(BitRouterClientLoopback, MissingUsageIsEstimated) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(response, 200, test::completionJson(R"("12345678")", "stop", false));
  });
  BitRouterClient client(configFor(server.baseUrl()));
  const ModelResult result = client.chat("m", hello());
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.output().usage.estimated);
  EXPECT_EQ(result.output().usage.promptTokens, 3);  // "Say hello" = 9 chars
  EXPECT_EQ(result.output().usage.completionTokens, 2);
}

TEST(BitRouterClientLoopback, RetriesA503WithAFreshRequestId) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int index) {
    if (index == 0) {
      LoopbackServer::json(
          response, 503,
          R"({"error":{"message":"upstream unavailable","type":"upstream_error","code":"upstream_unavailable"}})");
    } else {
      LoopbackServer::json(response, 200, test::completionJson(R"("second time")"));
    }
  });
  SleepLog sleeps;
  BitRouterClient client(configFor(server.baseUrl()), sleeps.options());
  const ModelResult result = client.chat("m", hello());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "second time");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].header("x-bitrouter-request-id"),
            requests[1].header("x-bitrouter-request-id"));
  EXPECT_EQ(requests[0].body, requests[1].body);
  EXPECT_EQ(sleeps.waits.size(), 1u);
  EXPECT_EQ(server.connections(), 1);  // an error response leaves the connection reusable
}

TEST(BitRouterClientLoopback, GivesUpAfterMaxRetries) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(
        response, 429,
        R"({"error":{"message":"upstream rate limited","type":"rate_limit_error","code":"upstream_rate_limited"}})",
        {{"Retry-After", "2"}});
  });
  SleepLog sleeps;
  BitRouterClient client(configFor(server.baseUrl()), sleeps.options());
  const ModelResult result = client.chat("gpt-4o-mini", hello());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(server.requestCount(), 3);
  EXPECT_EQ(sleeps.waits, (std::vector<std::chrono::milliseconds>{2000ms, 2000ms}));
  const ModelError& error = result.error();
  EXPECT_EQ(error.kind, ErrorKind::RateLimited);
  EXPECT_EQ(error.httpStatus, 429);
  EXPECT_EQ(error.retryAfter, 2000ms);
  EXPECT_EQ(error.requestId, server.requests().back().header("x-bitrouter-request-id"));
  EXPECT_EQ(error.message,
            "BitRouter returned 429 (upstream rate limited) for model 'gpt-4o-mini' "
            "after 3 attempts [request " +
                error.requestId + "]: retry after 2 s");
}

TEST(BitRouterClientLoopback, RetryAfterBeyondTheDeadlineStopsAtOnce) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(response, 429,
                         R"({"error":{"message":"rate limited","code":"rate_limit_exceeded"}})",
                         {{"Retry-After", "60"}});
  });
  SleepLog sleeps;
  BitRouterClient client(configFor(server.baseUrl(), {{"BITROUTER_TIMEOUT_MS", "5000"}}),
                         sleeps.options());
  const ModelResult result = client.chat("m", hello());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(server.requestCount(), 1);
  EXPECT_TRUE(sleeps.waits.empty());
  EXPECT_EQ(result.error().retryAfter, 60000ms);
  EXPECT_NE(result.error().message.find("would pass BITROUTER_TIMEOUT_MS"), std::string::npos);
}

TEST(BitRouterClientLoopback, NonRetryableStatusesAreTriedOnce) {
  for (const auto& [status, body] : std::vector<std::pair<int, std::string>>{
           {400, R"({"error":{"message":"bad request: empty model name"}})"},
           {401, R"({"error":{"message":"unauthorized: missing API key"}})"},
           {402, R"({"error":{"message":"upstream payment required"}})"},
           {403, R"j({"error":{"message":"forbidden: spend limit reached (5 / 5 micro-USD)"}})j"},
           {404, R"({"error":{"message":"not found: no active provider declares model 'm'"}})"},
           {413, "Failed to buffer the request body: length limit exceeded"},
           {415, "Expected request with `Content-Type: application/json`"},
           {500, R"({"error":{"message":"internal error: boom"}})"},
           {502,
            R"({"error":{"message":"upstream request failed","code":"upstream_bad_gateway"}})"}}) {
    LoopbackServer server(
        [status = status, body = body](const RecordedRequest&, Response& response, int) {
          if (body.front() == '{') {
            LoopbackServer::json(response, status, body);
          } else {
            LoopbackServer::text(response, status, body);
          }
        });
    SleepLog sleeps;
    BitRouterClient client(configFor(server.baseUrl()), sleeps.options());
    const ModelResult result = client.chat("m", hello());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(server.requestCount(), 1) << status;
    EXPECT_EQ(result.error().httpStatus, status);
    EXPECT_NE(result.error().message.find("BitRouter returned " + std::to_string(status)),
              std::string::npos);
  }
}

TEST(BitRouterClientLoopback, InvalidUpstreamResponseIsRetried) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int index) {
    if (index == 0) {
      LoopbackServer::json(
          response, 502,
          R"({"error":{"message":"upstream returned an invalid response","code":"upstream_invalid_response"}})");
    } else {
      LoopbackServer::json(response, 200, test::completionJson(R"("ok")"));
    }
  });
  BitRouterClient client(configFor(server.baseUrl()));
  EXPECT_TRUE(client.chat("m", hello()).ok());
  EXPECT_EQ(server.requestCount(), 2);
}

TEST(BitRouterClientLoopback, BadBodiesAreBadResponsesAndNotRetried) {
  for (const std::string& body : {std::string(R"({"id":"x","choices":[]})"),
                                  std::string(R"({"choices":[{"message":{"content":"tru)")}) {
    LoopbackServer server([body](const RecordedRequest&, Response& response, int) {
      LoopbackServer::json(response, 200, body);
    });
    BitRouterClient client(configFor(server.baseUrl()));
    const ModelResult result = client.chat("m", hello());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
    EXPECT_EQ(server.requestCount(), 1);
  }
}

TEST(BitRouterClientLoopback, ResponseLargerThanTheLimit) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(response, 200, test::completionJson("\"" + std::string(8000, 'x') + "\""));
  });
  BitRouterClient client(configFor(server.baseUrl(), {{"BITROUTER_MAX_RESPONSE_BYTES", "4096"}}));
  const ModelResult result = client.chat("m", hello());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
  EXPECT_NE(result.error().message.find("exceeds 4096 bytes (BITROUTER_MAX_RESPONSE_BYTES)"),
            std::string::npos);
}

TEST(BitRouterClientLoopback, ConnectionRefusedIsRetriedThenExplained) {
  std::uint16_t port = 0;
  {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = probe.address().port();
  }  // closed again: nothing listens there now
  SleepLog sleeps;
  BitRouterClient client(configFor("http://127.0.0.1:" + std::to_string(port)), sleeps.options());
  const ModelResult result = client.chat("m", hello());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable);
  EXPECT_EQ(sleeps.waits.size(), 2u);
  EXPECT_NE(result.error().message.find("after 3 attempts"), std::string::npos);
  EXPECT_NE(result.error().message.find(
                "is BitRouter running at http://127.0.0.1:" + std::to_string(port) + "?"),
            std::string::npos)
      << result.error().message;
}

TEST(BitRouterClientLoopback, WholeCallDeadlineHoldsWhileBlockedInARead) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::pause(1500ms);  // cut short once the test is over
    LoopbackServer::json(response, 200, test::completionJson(R"("late")"));
  });
  BitRouterClient client(configFor(server.baseUrl(), {{"BITROUTER_TIMEOUT_MS", "300"}}));
  const auto start = std::chrono::steady_clock::now();
  const ModelResult result = client.chat("m", hello());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout);
  EXPECT_NE(result.error().message.find("BITROUTER_TIMEOUT_MS"), std::string::npos);
  EXPECT_LT(elapsed, 1000ms);
  EXPECT_EQ(server.requestCount(), 1);  // a timeout after sending is not retried
}

TEST(BitRouterClientLoopback, DeadlineHoldsAgainstATricklingBody) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    response.setContentType("application/json");
    response.setChunkedTransferEncoding(true);
    std::ostream& out = response.send();
    for (int i = 0; i < 40; ++i) {
      out << ' ' << std::flush;  // JSON allows leading whitespace; each byte resets Poco's timer
      if (!LoopbackServer::pause(50ms)) return;
    }
    out << test::completionJson(R"("late")");
  });
  BitRouterClient client(configFor(server.baseUrl(), {{"BITROUTER_TIMEOUT_MS", "400"}}));
  const auto start = std::chrono::steady_clock::now();
  const ModelResult result = client.chat("m", hello());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
}

TEST(BitRouterClientLoopback, StreamingDeliversEachDeltaAsItArrives) {
  std::promise<void> firstChunkSeen;
  std::shared_future<void> firstChunk = firstChunkSeen.get_future().share();
  LoopbackServer server([firstChunk](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("Hel"));
    // The rest is sent only after the client has delivered the first delta: a client that
    // buffered the stream would never see it and the call would time out.
    if (firstChunk.wait_for(5s) != std::future_status::ready) return;
    out << ":keepalive\n\n" << std::flush;
    LoopbackServer::frame(out, test::deltaJson("lo"));
    LoopbackServer::frame(out, test::finishJson());
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(configFor(server.baseUrl(), {{"BITROUTER_TIMEOUT_MS", "3000"}}));
  std::vector<std::string> chunks;
  GenerateTextParams params = hello();
  params.stream = true;
  params.onChunk = [&](std::string_view chunk) {
    chunks.emplace_back(chunk);
    if (chunks.size() == 1) firstChunkSeen.set_value();
    return true;
  };
  const ModelResult result = client.chat("gpt-4o-mini", params);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(chunks, (std::vector<std::string>{"Hel", "lo"}));
  EXPECT_EQ(result.output().text, "Hello");
  EXPECT_EQ(result.output().finishReason, "stop");
  EXPECT_TRUE(result.output().usage.estimated);
  const RecordedRequest request = server.requests().at(0);
  EXPECT_EQ(
      request.body,
      R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}],"stream":true})");
  EXPECT_EQ(request.header("accept"), "text/event-stream");
}

TEST(BitRouterClientLoopback, FinishedStreamKeepsTheConnection) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("a"));
    LoopbackServer::frame(out, test::finishJson());
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(configFor(server.baseUrl()));
  GenerateTextParams params = hello();
  params.stream = true;
  params.onChunk = [](std::string_view) { return true; };
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(client.chat("m", params).ok());
  EXPECT_EQ(server.connections(), 1);
}

TEST(BitRouterClientLoopback, SurrogatePairSplitAcrossTwoDeltasIsDecoded) {
  // U+1F600 as two escapes (high d83d, low de00), the halves in two frames, as an upstream that
  // cuts its UTF-16 text anywhere sends them; reasoning and tool arguments likewise.
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, R"({"choices":[{"index":0,"delta":{"content":"smile \ud83d"}}]})");
    LoopbackServer::frame(out, R"({"choices":[{"index":0,"delta":{"content":"\ude00!"}}]})");
    LoopbackServer::frame(out,
                          R"({"choices":[{"index":0,"delta":{"reasoning_content":"r\ud83d"}}]})");
    LoopbackServer::frame(out,
                          R"({"choices":[{"index":0,"delta":{"reasoning_content":"\ude00"}}]})");
    LoopbackServer::frame(out, R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,)"
                               R"("id":"c1","type":"function","function":{"name":"f",)"
                               R"("arguments":"{\"s\":\"\ud83d"}}]}}]})");
    LoopbackServer::frame(out, R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,)"
                               R"("function":{"arguments":"\ude00\"}"}}]}}]})");
    LoopbackServer::frame(out, test::finishJson("tool_calls"));
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(configFor(server.baseUrl()));
  std::vector<std::string> chunks;
  std::string reasoning;
  GenerateTextParams params = hello();
  params.stream = true;
  params.onChunk = [&](std::string_view chunk) {
    chunks.emplace_back(chunk);
    return true;
  };
  params.onReasoningChunk = [&](std::string_view chunk) {
    reasoning += chunk;
    return true;
  };
  const ModelResult result = client.chat("m", params);
  ASSERT_TRUE(result.ok()) << result.error().message;
  const std::string smile = "\xF0\x9F\x98\x80";
  EXPECT_EQ(result.output().text, "smile " + smile + "!");
  // Each chunk is whole UTF-8: the first half waited for the second.
  EXPECT_EQ(chunks, (std::vector<std::string>{"smile ", smile + "!"}));
  EXPECT_EQ(reasoning, "r" + smile);
  EXPECT_EQ(result.output().reasoning, "r" + smile);
  ASSERT_EQ(result.output().toolCalls.size(), 1u);
  EXPECT_EQ(result.output().toolCalls[0].arguments, "{\"s\":\"" + smile + "\"}");
}

TEST(BitRouterClientLoopback, StreamUsageIsUsedWhenSent) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("a"));
    LoopbackServer::frame(out, test::finishJson());
    LoopbackServer::frame(
        out,
        R"({"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})");
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(configFor(server.baseUrl()));
  GenerateTextParams params = hello();
  params.stream = true;
  params.onChunk = [](std::string_view) { return true; };
  const ModelResult result = client.chat("m", params);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.output().usage.estimated);
  EXPECT_EQ(result.output().usage.totalTokens, 4);
}

GenerateTextParams streaming(std::vector<std::string>& chunks) {
  GenerateTextParams params = hello();
  params.stream = true;
  params.onChunk = [&chunks](std::string_view chunk) {
    chunks.emplace_back(chunk);
    return true;
  };
  return params;
}

TEST(BitRouterClientLoopback, MidStreamErrorFrameEndsTheCallWithPartialText) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("partial "));
    LoopbackServer::frame(
        out,
        R"({"error":{"message":"upstream timeout","type":"upstream_error","code":"upstream_timeout"}})");
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(configFor(server.baseUrl()));
  std::vector<std::string> chunks;
  const ModelResult result = client.chat("m", streaming(chunks));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout);
  EXPECT_EQ(result.error().partialText, "partial ");
  EXPECT_NE(result.error().message.find("upstream timeout, code upstream_timeout"),
            std::string::npos);
  EXPECT_EQ(server.requestCount(), 1);  // never retried once streamed
}

TEST(BitRouterClientLoopback, DoneWithoutFinishReasonIsTruncated) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("half"));
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(configFor(server.baseUrl()));
  std::vector<std::string> chunks;
  const ModelResult result = client.chat("m", streaming(chunks));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Truncated);
  EXPECT_EQ(result.error().partialText, "half");
  EXPECT_NE(result.error().message.find("[DONE] received"), std::string::npos);
}

TEST(BitRouterClientLoopback, CutConnectionMidStreamIsTruncated) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("cut "));
    throw std::runtime_error("server dies mid-stream");  // Poco ends the chunked body abruptly
  });
  BitRouterClient client(configFor(server.baseUrl()));
  std::vector<std::string> chunks;
  const ModelResult result = client.chat("m", streaming(chunks));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Truncated);
  EXPECT_EQ(result.error().partialText, "cut ");
  EXPECT_EQ(chunks, std::vector<std::string>{"cut "});
}

TEST(BitRouterClientLoopback, CallbackCancelsTheStream) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("one "));
    for (int i = 0; i < 20 && out.good(); ++i) {
      std::this_thread::sleep_for(20ms);
      LoopbackServer::frame(out, test::deltaJson("more "));
    }
    LoopbackServer::frame(out, test::finishJson());
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(configFor(server.baseUrl()));
  GenerateTextParams params = hello();
  params.stream = true;
  params.onChunk = [](std::string_view) { return false; };
  const ModelResult result = client.chat("m", params);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Cancelled);
  EXPECT_EQ(result.error().partialText, "one ");
  // The cancelled connection is not reused: the next call opens a fresh one and succeeds.
  params.onChunk = [](std::string_view) { return true; };
  const ModelResult next = client.chat("m", params);
  EXPECT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(server.connections(), 2);
}

TEST(BitRouterClientLoopback, IdleTimeoutBetweenFrames) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("slow"));
    LoopbackServer::pause(1500ms);
  });
  BitRouterClient client(
      configFor(server.baseUrl(), {{"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "200"}}));
  std::vector<std::string> chunks;
  const auto start = std::chrono::steady_clock::now();
  const ModelResult result = client.chat("m", streaming(chunks));
  ASSERT_FALSE(result.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1200ms);
  EXPECT_EQ(result.error().kind, ErrorKind::Timeout);
  EXPECT_NE(result.error().message.find("BITROUTER_STREAM_IDLE_TIMEOUT_MS"), std::string::npos);
  EXPECT_EQ(result.error().partialText, "slow");
}

TEST(BitRouterClientLoopback, KeepaliveCommentsKeepAQuietStreamAlive) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    for (int i = 0; i < 6; ++i) {
      std::this_thread::sleep_for(100ms);
      out << ":keepalive\n\n" << std::flush;
    }
    LoopbackServer::frame(out, test::deltaJson("finally"));
    LoopbackServer::frame(out, test::finishJson());
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(
      configFor(server.baseUrl(), {{"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "300"}}));
  std::vector<std::string> chunks;
  const ModelResult result = client.chat("m", streaming(chunks));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "finally");
}

TEST(BitRouterClientLoopback, PreStreamJsonErrorsAreRetriedLikeNonStreaming) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int index) {
    if (index == 0) {
      LoopbackServer::json(
          response, 429,
          R"({"error":{"message":"upstream rate limited","code":"upstream_rate_limited"}})",
          {{"Retry-After", "0"}});
      return;
    }
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("ok"));
    LoopbackServer::frame(out, test::finishJson());
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(configFor(server.baseUrl()));
  std::vector<std::string> chunks;
  const ModelResult result = client.chat("m", streaming(chunks));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(chunks, std::vector<std::string>{"ok"});
  EXPECT_EQ(server.requestCount(), 2);
}

TEST(BitRouterClientLoopback, StreamingWithAResponseSchemaValidatesTheWholeText) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson(R"({\"message\": )"));
    LoopbackServer::frame(out, test::deltaJson(R"(\"hi\"})"));
    LoopbackServer::frame(out, test::finishJson());
    LoopbackServer::frame(out, "[DONE]");
  });
  BitRouterClient client(configFor(server.baseUrl()));
  std::vector<std::string> chunks;
  GenerateTextParams params = streaming(chunks);
  params.responseSchema =
      R"({"type":"object","properties":{"message":{"type":"string"}},"required":["message"]})";
  const ModelResult result = client.chat("m", params);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(chunks.size(), 2u);
  EXPECT_EQ(result.output().text, R"({"message":"hi"})");
  EXPECT_NE(server.requests().at(0).body.find(R"("response_format":{"type":"json_object"})"),
            std::string::npos);
}

TEST(BitRouterClientLoopback, StructuredReplyThatViolatesTheSchemaFails) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(response, 200, test::completionJson(R"("{\"wrong\":1}")"));
  });
  BitRouterClient client(configFor(server.baseUrl()));
  GenerateTextParams params = hello();
  params.responseSchema = R"({"type":"object","required":["message"]})";
  const ModelResult result = client.chat("m", params);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
  EXPECT_NE(result.error().message.find("missing 'message'"), std::string::npos);
  EXPECT_EQ(server.requestCount(), 1);
}

TEST(BitRouterClientLoopback, LocalValidationSendsNothing) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(response, 200, test::completionJson(R"("ok")"));
  });
  BitRouterClient client(configFor(server.baseUrl()));
  GenerateTextParams params = hello();
  params.maxTokens = 0;
  const ModelResult tooFew = client.chat("m", params);
  ASSERT_FALSE(tooFew.ok());
  EXPECT_EQ(tooFew.error().kind, ErrorKind::BadRequest);
  EXPECT_EQ(tooFew.error().message,
            "maxTokens must be at least 1 (got 0) for model 'm': no request was sent");
  params.maxTokens.reset();
  params.responseSchema = R"({"type": "strin"})";
  const ModelResult badSchema = client.chat("m", params);
  ASSERT_FALSE(badSchema.ok());
  EXPECT_EQ(badSchema.error().kind, ErrorKind::BadRequest);
  EXPECT_EQ(server.requestCount(), 0);
}

TEST(BitRouterClientLoopback, KeyNeverAppearsInErrorsEvenWhenEchoed) {
  const std::string key = "brvk_ThisIsTheSecretKey0123456789abcdefghijklm";
  LoopbackServer server([key](const RecordedRequest& request, Response& response, int) {
    LoopbackServer::json(response, 401,
                         R"({"error":{"message":"unauthorized: unknown API key )" +
                             request.header("authorization") + R"("}})");
  });
  BitRouterClient client(configFor(server.baseUrl(), {{"BITROUTER_API_KEY", key}}));
  const ModelResult result = client.chat("m", hello());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message.find(key), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find("TheSecret"), std::string::npos);
  EXPECT_NE(result.error().message.find("[redacted]"), std::string::npos);
}

// The keep-alive race made deterministic: the server reads the second request on the kept-alive
// connection, then closes it without a word. It may have acted on the request (BitRouter runs a
// non-streamed request to completion even when the client is gone), so the client must not send
// it again - not on a fresh connection, not as a retry.
TEST(BitRouterClientLoopback, RequestReadThenClosedOnAReusedConnectionIsNotReplayed) {
  test::RawServer server(
      [](const test::RawServer&, Poco::Net::StreamSocket& socket, int connection, int request) {
        if (connection == 1 && request == 2) return false;  // close, no answer
        return test::RawServer::send(socket,
                                     test::RawServer::okResponse(test::completionJson(R"("ok")")));
      });
  SleepLog sleeps;
  BitRouterClient client(configFor(server.baseUrl()), sleeps.options());
  ASSERT_TRUE(client.chat("m", hello()).ok());
  const ModelResult second = client.chat("m", hello());
  ASSERT_FALSE(second.ok());
  const ModelError& error = second.error();
  EXPECT_EQ(error.kind, ErrorKind::Unavailable);
  EXPECT_EQ(error.httpStatus, 0);
  EXPECT_NE(error.message.find("without answering"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("may have been processed"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("attempts"), std::string::npos) << error.message;
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(server.connections(), 1);
  EXPECT_TRUE(sleeps.waits.empty());  // not retried either

  // The dead connection was dropped: the next call connects afresh and succeeds.
  ASSERT_TRUE(client.chat("m", hello()).ok());
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.requests(), 3);
}

// The safe half of the race: the server closed the idle connection before the next request.
// The pre-send liveness check notices and the request goes out once, on a fresh connection.
TEST(BitRouterClientLoopback, IdleConnectionClosedByTheServerIsReplacedBeforeSending) {
  test::RawServer server([](const test::RawServer&, Poco::Net::StreamSocket& socket, int, int) {
    test::RawServer::send(socket, test::RawServer::okResponse(test::completionJson(R"("ok")")));
    return false;  // answered, then closed while the client holds it kept alive
  });
  SleepLog sleeps;
  BitRouterClient client(configFor(server.baseUrl()), sleeps.options());
  ASSERT_TRUE(client.chat("m", hello()).ok());
  ASSERT_TRUE(server.waitForClosedConnections(1));  // its FIN is on the client's socket
  const ModelResult second = client.chat("m", hello());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_TRUE(sleeps.waits.empty());
}

TEST(BitRouterClientLoopback, ListModels) {
  LoopbackServer server([](const RecordedRequest& request, Response& response, int) {
    if (request.uri == "/v1/models") {
      LoopbackServer::json(
          response, 200,
          R"({"object":"list","data":[{"id":"gpt-4o","object":"model","providers":["openai"]}]})");
    } else {
      LoopbackServer::text(response, 404, "");
    }
  });
  BitRouterClient client(configFor(server.baseUrl()));
  const ModelsProbe probe = client.listModels(2s);
  EXPECT_TRUE(probe.reachable);
  EXPECT_EQ(probe.status, 200);
  EXPECT_EQ(probe.problem, "");
  EXPECT_EQ(probe.models, std::vector<std::string>{"gpt-4o"});
}

}  // namespace
}  // namespace agent::bitrouter
