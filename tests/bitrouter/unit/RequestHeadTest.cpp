#include "transport/RequestHead.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

TEST(RequestHead, ChatRequestWithoutKeyHasNoAuthorization) {
  BitRouterConfig config;
  std::string head;
  RequestHead(config).chat(head, "id-1", "", false, 42);
  EXPECT_EQ(head,
            "POST /v1/chat/completions HTTP/1.1\r\n"
            "Host: 127.0.0.1:4356\r\n"
            "Connection: Keep-Alive\r\n"
            "User-Agent: " +
                std::string(RequestHead::userAgent()) +
                "\r\n"
                "Content-Type: application/json\r\n"
                "Accept: application/json\r\n"
                "x-bitrouter-request-id: id-1\r\n"
                "Content-Length: 42\r\n\r\n");
}

TEST(RequestHead, ChatRequestWithKeySendsBearerAndOnlyTheChangingPartsChange) {
  BitRouterConfig config;
  config.apiKey = "brvk_test";
  config.baseUrl = BaseUrl::parse("http://h:1/gw/");
  const RequestHead heads(config);
  std::string head;
  heads.chat(head, "id-2", "", true, 1);
  EXPECT_EQ(head.rfind("POST /gw/v1/chat/completions HTTP/1.1\r\nHost: h:1\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Authorization: Bearer brvk_test\r\n"), std::string::npos);
  EXPECT_NE(head.find("Accept: text/event-stream\r\n"), std::string::npos);
  const std::size_t capacity = head.capacity();
  heads.chat(head, "id-3", "", false, 123456);
  EXPECT_NE(head.find("x-bitrouter-request-id: id-3\r\nContent-Length: 123456\r\n\r\n"),
            std::string::npos)
      << head;
  EXPECT_EQ(head.capacity(), capacity);  // rewritten in place
}

TEST(RequestHead, TheCallsTraceparentGoesInItsOwnHeader) {
  BitRouterConfig config;
  std::string head;
  const std::string traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  RequestHead(config).chat(head, "id-4", traceparent, false, 2);
  EXPECT_NE(head.find("x-bitrouter-request-id: id-4\r\ntraceparent: " + traceparent +
                      "\r\nContent-Length: 2\r\n\r\n"),
            std::string::npos)
      << head;
}

TEST(RequestHead, HostHeaderOmitsTheDefaultPortAndBracketsIpv6) {
  BitRouterConfig config;
  std::string head;
  config.baseUrl = BaseUrl::parse("https://router.example");
  RequestHead(config).models(head, "id");
  EXPECT_NE(head.find("\r\nHost: router.example\r\n"), std::string::npos) << head;
  config.baseUrl = BaseUrl::parse("http://[::1]:8080");
  RequestHead(config).models(head, "id");
  EXPECT_NE(head.find("\r\nHost: [::1]:8080\r\n"), std::string::npos) << head;
}

TEST(RequestHead, ModelsProbe) {
  BitRouterConfig config;
  std::string head;
  RequestHead(config).models(head, "id-3");
  EXPECT_EQ(head.rfind("GET /v1/models HTTP/1.1\r\n", 0), 0u) << head;
  EXPECT_EQ(head.find("Authorization"), std::string::npos);
  EXPECT_EQ(head.find("Content-Length"), std::string::npos);
  EXPECT_NE(head.find("x-bitrouter-request-id: id-3\r\n\r\n"), std::string::npos);
  config.apiKey = "brvk_x";
  RequestHead(config).models(head, "id");
  EXPECT_NE(head.find("Authorization: Bearer brvk_x\r\n"), std::string::npos);
}

}  // namespace
}  // namespace agent::bitrouter
