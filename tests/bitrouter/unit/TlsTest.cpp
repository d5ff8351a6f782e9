// HTTPS: certificates are verified against the system store, a failure is a clear error, and
// no SSLManager certificate handler (not even one that accepts everything) can overrule it.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLManager.h>

#include "LoopbackServer.hpp"
#include "agent/bitrouter/BitRouterClient.hpp"

namespace agent::bitrouter {
namespace {

using test::LoopbackServer;

// A throwaway self-signed certificate for 127.0.0.1, written to a temporary directory.
class SelfSigned {
 public:
  SelfSigned() {
    dir_ = std::filesystem::temp_directory_path() / ("bitrouter-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    FILE* keyFile = std::fopen(keyPath().c_str(), "w");
    PEM_write_PrivateKey(keyFile, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(keyFile);
    FILE* certFile = std::fopen(certPath().c_str(), "w");
    PEM_write_X509(certFile, cert);
    std::fclose(certFile);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~SelfSigned() { std::filesystem::remove_all(dir_); }
  std::string keyPath() const { return (dir_ / "key.pem").string(); }
  std::string certPath() const { return (dir_ / "cert.pem").string(); }

 private:
  std::filesystem::path dir_;
};

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
