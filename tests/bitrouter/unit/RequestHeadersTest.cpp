#include "transport/RequestHeaders.hpp"

#include <gtest/gtest.h>

#include <Poco/Net/HTTPMessage.h>

namespace agent::bitrouter {
namespace {

TEST(RequestHeaders, ChatRequestWithoutKeyHasNoAuthorization) {
  BitRouterConfig config;
  const auto request = RequestHeaders::chat(config, "id-1", false, 42);
  EXPECT_FALSE(request.has("Authorization"));
  EXPECT_EQ(request.getMethod(), "POST");
  EXPECT_EQ(request.getURI(), "/v1/chat/completions");
  EXPECT_EQ(request.getVersion(), Poco::Net::HTTPMessage::HTTP_1_1);
  EXPECT_TRUE(request.getKeepAlive());
  EXPECT_EQ(request.getContentType(), "application/json");
  EXPECT_EQ(request.getContentLength64(), 42);
  EXPECT_EQ(request.get("x-bitrouter-request-id"), "id-1");
  EXPECT_EQ(request.get("Accept"), "application/json");
}

TEST(RequestHeaders, ChatRequestWithKeySendsBearer) {
  BitRouterConfig config;
  config.apiKey = "brvk_test";
  config.baseUrl = BaseUrl::parse("http://h:1/gw/");
  const auto request = RequestHeaders::chat(config, "id-2", true, 1);
  EXPECT_EQ(request.get("Authorization"), "Bearer brvk_test");
  EXPECT_EQ(request.getURI(), "/gw/v1/chat/completions");
  EXPECT_EQ(request.get("Accept"), "text/event-stream");
}

TEST(RequestHeaders, ModelsProbe) {
  BitRouterConfig config;
  const auto request = RequestHeaders::models(config, "id-3");
  EXPECT_EQ(request.getMethod(), "GET");
  EXPECT_EQ(request.getURI(), "/v1/models");
  EXPECT_EQ(request.getVersion(), Poco::Net::HTTPMessage::HTTP_1_1);
  EXPECT_FALSE(request.has("Authorization"));
  config.apiKey = "brvk_x";
  EXPECT_EQ(RequestHeaders::models(config, "id").get("Authorization"), "Bearer brvk_x");
}

}  // namespace
}  // namespace agent::bitrouter
