#include "agent/bitrouter/BaseUrl.hpp"
#include "config/Redactor.hpp"

#include <gtest/gtest.h>

#include "agent/bitrouter/ConfigError.hpp"

namespace agent::bitrouter {
namespace {

TEST(BaseUrl, DefaultIsLocalBitRouter) {
  const BaseUrl url = BaseUrl::parse("");
  EXPECT_EQ(url.text, "http://127.0.0.1:4356");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 4356);
  EXPECT_EQ(url.pathPrefix, "");
  EXPECT_EQ(url.target("/v1/chat/completions"), "/v1/chat/completions");
  EXPECT_EQ(BaseUrl::parse("   ").text, "http://127.0.0.1:4356");
}

TEST(BaseUrl, TrailingSlashesAreStrippedAndAPathPrefixIsKept) {
  EXPECT_EQ(BaseUrl::parse("http://localhost:4356/").text, "http://localhost:4356");
  EXPECT_EQ(BaseUrl::parse("http://localhost:4356///").text, "http://localhost:4356");
  const BaseUrl url = BaseUrl::parse(" http://router.lan:8080/gateway/// ");
  EXPECT_EQ(url.text, "http://router.lan:8080/gateway");
  EXPECT_EQ(url.pathPrefix, "/gateway");
  EXPECT_EQ(url.target("/v1/chat/completions"), "/gateway/v1/chat/completions");
}

TEST(BaseUrl, DefaultPortsAndSchemeCase) {
  EXPECT_EQ(BaseUrl::parse("http://example.com").port, 80);
  const BaseUrl https = BaseUrl::parse("HTTPS://example.com/api");
  EXPECT_TRUE(https.https());
  EXPECT_EQ(https.port, 443);
  EXPECT_EQ(https.text, "https://example.com/api");
}

TEST(BaseUrl, Ipv6Literal) {
  const BaseUrl url = BaseUrl::parse("http://[::1]:4356");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 4356);
}

void expectRejected(const std::string& input, const std::string& fragment) {
  try {
    BaseUrl::parse(input);
    ADD_FAILURE() << "accepted " << input;
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("BITROUTER_BASE_URL"), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

TEST(BaseUrl, Rejections) {
  expectRejected("localhost:4356", "must start with http:// or https://");
  expectRejected("127.0.0.1", "must start with http:// or https://");
  expectRejected("ftp://example.com", "scheme 'ftp' is not supported");
  expectRejected("ws://example.com", "use http:// or https://");
  expectRejected("http://", "has no host");
  expectRejected("http:///v1", "has no host");
  expectRejected("http://host:0", "invalid port");
  expectRejected("http://host:70000", "invalid port");
  expectRejected("http://host:abc", "invalid port");
  expectRejected("http://host:", "empty port");
  expectRejected("http://host/v1?x=1", "query or fragment");
  expectRejected("http://host#frag", "query or fragment");
  expectRejected("http://ho st", "spaces or control characters");
  expectRejected("http://bad_host!", "invalid host");
  expectRejected("http://[::1", "unterminated IPv6");
}

TEST(BaseUrl, CredentialsAreRefusedWithoutEchoingThem) {
  try {
    BaseUrl::parse("http://user:s3cretpass@host:4356");
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()).find("s3cretpass"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("BITROUTER_API_KEY"), std::string::npos);
  }
}

TEST(BaseUrl, ValuesThatLookLikeAKeyAreNeverEchoed) {
  const std::string key = "brvk_ZZleakCanary0123456789abcdefghijklmnopqrstu";
  const Redactor redactor(key);
  for (const std::string& value :
       {key, "ftp://" + key, "http://" + key.substr(5) + "/?q", "http://h:" + key.substr(5, 20),
        "http://[" + key + "]", "sk-" + key.substr(5)}) {
    try {
      BaseUrl::parse(value, redactor);
      ADD_FAILURE() << "accepted: " << value.size() << " characters";
    } catch (const ConfigError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("BITROUTER_BASE_URL"), std::string::npos);
      EXPECT_EQ(message.find("ZZleak"), std::string::npos) << "leaked for input " << value.size();
      EXPECT_EQ(message.find("Canary"), std::string::npos);
    }
  }
  // Without a configured key, a brvk_ value is still held back.
  try {
    BaseUrl::parse(key);
    ADD_FAILURE();
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()).find("ZZleak"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(Redactor::kHiddenValue), std::string::npos);
  }
  // Ordinary values are still quoted, so the user sees what is wrong.
  try {
    BaseUrl::parse("localhost:4356");
    ADD_FAILURE();
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("(got 'localhost:4356')"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace agent::bitrouter
