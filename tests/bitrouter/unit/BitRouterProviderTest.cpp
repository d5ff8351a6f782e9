#include "agent/bitrouter/BitRouterProvider.hpp"

#include <gtest/gtest.h>

#include <thread>

#include <Poco/Net/ServerSocket.h>

#include "FakeHost.hpp"
#include "LoopbackServer.hpp"
#include "agent/bitrouter/ConfigError.hpp"

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;
using test::FakeHost;
using test::LoopbackServer;
using test::RecordedRequest;
using Response = Poco::Net::HTTPServerResponse;

const std::string kKey = "brvk_ProviderTestSecret0123456789abcdefghijklmn";

std::string closedPortUrl() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  return "http://127.0.0.1:" + std::to_string(probe.address().port());
}

// Serves /v1/models with `models` and every chat call with "Hello!" (usage included).
LoopbackServer::Handler bitRouter(std::string models) {
  return [models](const RecordedRequest& request, Response& response, int) {
    if (request.uri == "/v1/models") {
      LoopbackServer::json(response, 200, R"({"object":"list","data":[)" + models + "]}");
    } else {
      LoopbackServer::json(response, 200, test::completionJson(R"("Hello!")"));
    }
  };
}

TEST(BitRouterProvider, InitWithoutKeyOnLoopbackSaysSoAtInfoLevelAndSendsNothing) {
  LoopbackServer server(bitRouter(""));
  FakeHost host({{"BITROUTER_BASE_URL", server.baseUrl()}});
  BitRouterProvider provider(host);
  // skip_auth on this machine is the usual setup: no warning on every command.
  EXPECT_TRUE(host.logged(LogLevel::Info,
                          "BITROUTER_API_KEY is not set - assuming BitRouter runs with skip_auth"));
  EXPECT_FALSE(host.logged(LogLevel::Warn, "BITROUTER_API_KEY")) << host.allLogText();
  EXPECT_TRUE(host.logged(LogLevel::Info, "settings are read once, at init"));
  EXPECT_EQ(server.requestCount(), 0);
}

TEST(BitRouterProvider, InitWithoutKeyForAnotherMachineWarns) {
  for (const char* url : {"http://bitrouter.example:4356", "https://10.1.2.3"}) {
    FakeHost host({{"BITROUTER_BASE_URL", std::string(url)}});
    BitRouterProvider provider(host);
    EXPECT_TRUE(host.logged(
        LogLevel::Warn, "BITROUTER_API_KEY is not set - assuming BitRouter runs with skip_auth"))
        << url;
  }
}

TEST(BitRouterProvider, InitWithKeyProbesTheModelList) {
  LoopbackServer server(bitRouter(R"({"id":"gpt-4o-mini","object":"model"})"));
  FakeHost host({{"BITROUTER_BASE_URL", server.baseUrl()},
                 {"BITROUTER_API_KEY", kKey},
                 {"BITROUTER_MEGA_MODEL", "openai:gpt-4o"}});
  BitRouterProvider provider(host);
  // The warning is the report's last line.
  ASSERT_TRUE(host.waitLogged(LogLevel::Warn, "is not listed by BitRouter")) << host.allLogText();
  ASSERT_EQ(server.requestCount(), 1);
  const RecordedRequest probe = server.requests()[0];
  EXPECT_EQ(probe.method, "GET");
  EXPECT_EQ(probe.uri, "/v1/models");
  EXPECT_EQ(probe.header("authorization"), "Bearer " + kKey);
  EXPECT_TRUE(host.logged(LogLevel::Info, "BitRouter reachable at " + server.baseUrl()));
  // gpt-4o (LARGE, RESPONSE_HANDLER, ACTION_PLANNER) is missing; MEGA is pinned, so not checked.
  EXPECT_TRUE(host.logged(LogLevel::Warn,
                          "model 'gpt-4o' (built-in default; set BITROUTER_LARGE_MODEL) is not "
                          "listed by BitRouter's GET /v1/models; TEXT_LARGE, RESPONSE_HANDLER, "
                          "ACTION_PLANNER calls may fail with 404"))
      << host.allLogText();
  EXPECT_FALSE(host.logged(LogLevel::Warn, "gpt-4o-mini"));
  EXPECT_EQ(host.allLogText().find(kKey), std::string::npos);
}

TEST(BitRouterProvider, InitNeverFailsBecauseBitRouterIsDown) {
  FakeHost host({{"BITROUTER_BASE_URL", closedPortUrl()}, {"BITROUTER_API_KEY", kKey}});
  const auto start = std::chrono::steady_clock::now();
  BitRouterProvider provider(host);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(host.waitLogged(LogLevel::Warn, "BitRouter is not reachable at"));
  EXPECT_TRUE(host.logged(LogLevel::Warn, "connection refused"));
  EXPECT_EQ(host.allLogText().find(kKey), std::string::npos);
}

TEST(BitRouterProvider, InitWarnsOnANon2xxProbe) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::text(response, 503, "overloaded");
  });
  FakeHost host({{"BITROUTER_BASE_URL", server.baseUrl()}, {"BITROUTER_API_KEY", kKey}});
  BitRouterProvider provider(host);
  EXPECT_TRUE(host.waitLogged(LogLevel::Warn, "GET /v1/models answered 503 (overloaded)"))
      << host.allLogText();
}

TEST(BitRouterProvider, AProbeThatGetsNoAnswerHoldsNothingUpAndNamesItsOwnLimit) {
  // Accepts, reads, never answers: init returns at once, the warning comes at the probe's limit
  // and names that limit, not BITROUTER_TIMEOUT_MS's 300000 ms.
  LoopbackServer server([](const RecordedRequest&, Response&, int) { LoopbackServer::pause(30s); });
  FakeHost host({{"BITROUTER_BASE_URL", server.baseUrl()}, {"BITROUTER_API_KEY", kKey}});
  const auto start = std::chrono::steady_clock::now();
  {
    BitRouterProvider provider(host);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "init waited for the probe";
    ASSERT_TRUE(host.waitLogged(LogLevel::Warn, "no complete response")) << host.allLogText();
  }
  const std::string log = host.allLogText();
  EXPECT_NE(log.find("within 2000 ms (the init probe's own limit"), std::string::npos) << log;
  EXPECT_EQ(log.find("raise BITROUTER_TIMEOUT_MS"), std::string::npos) << log;
}

TEST(BitRouterProvider, DestroyingTheProviderEndsARunningProbeAtOnce) {
  LoopbackServer server([](const RecordedRequest&, Response&, int) { LoopbackServer::pause(30s); });
  FakeHost host({{"BITROUTER_BASE_URL", server.baseUrl()}, {"BITROUTER_API_KEY", kKey}});
  const auto start = std::chrono::steady_clock::now();
  {
    BitRouterProvider provider(host);
    while (server.requestCount() == 0 && std::chrono::steady_clock::now() - start < 5s)
      std::this_thread::sleep_for(1ms);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_FALSE(host.logged(LogLevel::Warn, "no complete response")) << host.allLogText();
}

TEST(BitRouterProvider, BadSettingsFailInitWithOneLine) {
  FakeHost host({{"BITROUTER_TIMEOUT_MS", "soon"}, {"BITROUTER_API_KEY", kKey}});
  try {
    BitRouterProvider provider(host);
    FAIL() << "init accepted a bad setting";
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("BITROUTER_TIMEOUT_MS"), std::string::npos);
    EXPECT_EQ(message.find(kKey), std::string::npos);
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

TEST(BitRouterProvider, ServesTheSevenTextTiers) {
  FakeHost host({{"BITROUTER_BASE_URL", closedPortUrl()}});
  BitRouterProvider provider(host);
  const std::vector<ModelType> types = provider.supportedModelTypes();
  EXPECT_EQ(types, std::vector<ModelType>(ModelTiers::kSupportedTypes.begin(),
                                          ModelTiers::kSupportedTypes.end()));
}

TEST(BitRouterProvider, GenerateTextUsesTheTierAndEmitsModelUsed) {
  LoopbackServer server(bitRouter(""));
  FakeHost host({{"BITROUTER_BASE_URL", server.baseUrl()}, {"BITROUTER_SMALL_MODEL", "small-x"}});
  BitRouterProvider provider(host);
  GenerateTextParams params;
  params.prompt = "Say hello";
  const ModelResult result = provider.generateText(ModelType::TextNano, params);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "Hello!");
  EXPECT_EQ(result.output().model, "small-x");
  EXPECT_NE(server.requests().at(0).body.find(R"("model":"small-x")"), std::string::npos);

  const auto events = host.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].provider, "bitrouter");
  EXPECT_EQ(events[0].type, ModelType::TextNano);
  EXPECT_EQ(events[0].model, "small-x");
  EXPECT_EQ(events[0].tokens.promptTokens, 11);
  EXPECT_EQ(events[0].tokens.completionTokens, 7);
  EXPECT_EQ(events[0].tokens.totalTokens, 18);
  EXPECT_FALSE(events[0].tokens.estimated);
}

TEST(BitRouterProvider, StreamedCallsReportEstimatedTokens) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    std::ostream& out = LoopbackServer::startSse(response);
    LoopbackServer::frame(out, test::deltaJson("12345678"));
    LoopbackServer::frame(out, test::finishJson());
    LoopbackServer::frame(out, "[DONE]");
  });
  FakeHost host({{"BITROUTER_BASE_URL", server.baseUrl()}});
  BitRouterProvider provider(host);
  GenerateTextParams params;
  params.prompt = "Say hello";
  params.stream = true;
  params.onChunk = [](std::string_view) { return true; };
  ASSERT_TRUE(provider.generateText(ModelType::TextLarge, params).ok());
  const auto events = host.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].tokens.estimated);
  EXPECT_EQ(events[0].tokens.completionTokens, 2);
  EXPECT_EQ(events[0].type, ModelType::TextLarge);
  EXPECT_EQ(events[0].model, "gpt-4o");
}

TEST(BitRouterProvider, NoEventOnFailureAndUnsupportedTypesAreRefused) {
  LoopbackServer server([](const RecordedRequest&, Response& response, int) {
    LoopbackServer::json(
        response, 404,
        R"({"error":{"message":"not found: no active provider declares model 'gpt-5'"}})");
  });
  FakeHost host({{"BITROUTER_BASE_URL", server.baseUrl()}, {"BITROUTER_LARGE_MODEL", "gpt-5"}});
  BitRouterProvider provider(host);
  GenerateTextParams params;
  params.prompt = "x";
  const ModelResult notFound = provider.generateText(ModelType::ActionPlanner, params);
  ASSERT_FALSE(notFound.ok());
  EXPECT_EQ(notFound.error().kind, ErrorKind::NotFound);
  EXPECT_NE(notFound.error().message.find("model 'gpt-5' (from BITROUTER_LARGE_MODEL)"),
            std::string::npos);
  EXPECT_TRUE(host.events().empty());

  const ModelResult embedding = provider.generateText(ModelType::TextEmbedding, params);
  ASSERT_FALSE(embedding.ok());
  EXPECT_EQ(embedding.error().kind, ErrorKind::BadRequest);
  EXPECT_EQ(server.requestCount(), 1);
}

}  // namespace
}  // namespace agent::bitrouter
