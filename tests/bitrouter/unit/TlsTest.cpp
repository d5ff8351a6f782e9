// HTTPS: certificates are verified against the system store, a failure is a clear error, and
// no SSLManager certificate handler (not even one that accepts everything) can overrule it.

#include <gtest/gtest.h>

#include <cstdlib>

#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLManager.h>

#include "LoopbackServer.hpp"
#include "agent/bitrouter/BitRouterClient.hpp"
#include "agent/test/SelfSignedCertificate.hpp"

namespace agent::bitrouter {
namespace {

using test::LoopbackServer;

using SelfSigned = agent::test::SelfSignedCertificate;

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Poco::Net::initializeSSL(); }
  static void TearDownTestSuite() { Poco::Net::uninitializeSSL(); }

  SelfSigned certificate;
  Poco::Net::Context::Ptr serverContext =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, certificate.keyPath(),
                             certificate.certPath(), "", Poco::Net::Context::VERIFY_NONE);
  LoopbackServer server{
      [](const test::RecordedRequest&, Poco::Net::HTTPServerResponse& response, int) {
        LoopbackServer::json(response, 200, test::completionJson(R"("secret")"));
      },
      serverContext};

  ModelResult call() {
    BitRouterConfig config = BitRouterConfig::fromSettings(
        lookupFromMap({{"BITROUTER_BASE_URL", "https://127.0.0.1:" + std::to_string(server.port())},
                       {"BITROUTER_RETRY_BASE_MS", "0"}}));
    BitRouterClient client(std::move(config));
    GenerateTextParams params;
    params.prompt = "hi";
    return client.chat("m", params);
  }
};

TEST_F(TlsTest, UntrustedCertificateIsAClearNonRetryableError) {
  const ModelResult result = call();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Unavailable);
  EXPECT_FALSE(result.error().retryable);
  EXPECT_NE(
      result.error().message.find("TLS certificate verification failed for https://127.0.0.1"),
      std::string::npos)
      << result.error().message;
  EXPECT_EQ(result.error().message.find("after"), std::string::npos);  // tried once
  EXPECT_EQ(server.requestCount(), 0);
}

TEST_F(TlsTest, ATrustedServerServesWholeAndStreamedRepliesOnOneConnection) {
  // The self-signed certificate as the only trusted CA (OpenSSL reads SSL_CERT_FILE when the
  // client's context loads the default store).
  LoopbackServer tls(
      [](const test::RecordedRequest& request, Poco::Net::HTTPServerResponse& response, int) {
        if (request.body.find(R"("stream":true)") == std::string::npos) {
          LoopbackServer::json(response, 200, test::completionJson(R"("over tls")"));
          return;
        }
        std::ostream& out = LoopbackServer::startSse(response);
        LoopbackServer::frame(out, test::deltaJson("str"));
        LoopbackServer::frame(out, test::deltaJson("eamed"));
        LoopbackServer::frame(out, test::finishJson());
        LoopbackServer::frame(out, "[DONE]");
      },
      serverContext);
  ::setenv("SSL_CERT_FILE", certificate.certPath().c_str(), 1);
  BitRouterClient client(BitRouterConfig::fromSettings(
      lookupFromMap({{"BITROUTER_BASE_URL", "https://127.0.0.1:" + std::to_string(tls.port())},
                     {"BITROUTER_RETRY_BASE_MS", "0"}})));
  ::unsetenv("SSL_CERT_FILE");
  GenerateTextParams params;
  params.prompt = "hi";
  for (int i = 0; i < 2; ++i) {
    const ModelResult result = client.chat("m", params);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result.output().text, "over tls");
  }
  std::string streamed;
  params.stream = true;
  params.onChunk = [&streamed](std::string_view chunk) {
    streamed += chunk;
    return true;
  };
  const ModelResult result = client.chat("m", params);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.output().text, "streamed");
  EXPECT_EQ(streamed, "streamed");
  EXPECT_EQ(tls.connections(), 1);  // kept alive across all three
}

TEST_F(TlsTest, AGlobalAcceptAllHandlerCannotOverruleVerification) {
  // What a Poco::Util::Application's default console handler answering "y" amounts to.
  Poco::Net::SSLManager::InvalidCertificateHandlerPtr acceptAll(
      new Poco::Net::AcceptCertificateHandler(false));
  Poco::Net::Context::Ptr anyContext = new Poco::Net::Context(
      Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_RELAXED);
  Poco::Net::SSLManager::instance().initializeClient(nullptr, acceptAll, anyContext);
  const ModelResult result = call();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("TLS certificate verification failed"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(server.requestCount(), 0);
}

}  // namespace
}  // namespace agent::bitrouter
