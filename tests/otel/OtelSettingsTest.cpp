// The OTEL_* variables, read as the OpenTelemetry specification says.
#include <gtest/gtest.h>

#include <map>

#include "config/KeyValueList.hpp"
#include "config/OtelSettings.hpp"

namespace agent::otel {
namespace {

SettingLookup lookupIn(std::map<std::string, std::string, std::less<>> values) {
  return [values](std::string_view key) -> std::optional<std::string> {
    const auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(OtelSettings, HeadersArePercentDecodedPairs) {
  const KeyValues pairs = parseKeyValueList("api-key=a%2Cb%3Dc , x = y,broken,=novalue,k=v;p=1");
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"api-key", "a,b=c"}));
  EXPECT_EQ(pairs[1], (std::pair<std::string, std::string>{"x", "y"}));
  EXPECT_EQ(pairs[2], (std::pair<std::string, std::string>{"k", "v"}));
  EXPECT_EQ(percentDecode("100%"), "100%");
  EXPECT_EQ(percentDecode("%zz%41"), "%zzA");
}

TEST(OtelSettings, SignalEndpointsFollowTheSpecification) {
  auto settings = readOtelSettings(lookupIn({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318/"}}));
  ASSERT_TRUE(settings) << settings.error();
  EXPECT_EQ(settings.value().traces->host, "c");
  EXPECT_EQ(settings.value().traces->port, 4318);
  EXPECT_EQ(settings.value().traces->path, "/v1/traces");
  EXPECT_EQ(settings.value().metrics->path, "/v1/metrics");

  // A signal's own variable is used as it is, and wins over the base.
  settings = readOtelSettings(lookupIn({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"},
                                        {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://t/x"}}));
  ASSERT_TRUE(settings) << settings.error();
  EXPECT_EQ(settings.value().traces->path, "/x");
  EXPECT_EQ(settings.value().traces->port, 80);
  EXPECT_EQ(settings.value().metrics->host, "c");

  // Only a traces endpoint: no metrics go anywhere.
  settings = readOtelSettings(lookupIn({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://[::1]:9"}}));
  ASSERT_TRUE(settings) << settings.error();
  EXPECT_EQ(settings.value().traces->host, "::1");
  EXPECT_EQ(settings.value().traces->path, "/");
  EXPECT_FALSE(settings.value().metrics.has_value());

  EXPECT_FALSE(readOtelSettings(lookupIn({{"OTEL_EXPORTER_OTLP_ENDPOINT", "c:4318"}})));
  EXPECT_FALSE(readOtelSettings(lookupIn({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:99999"}})));
  EXPECT_FALSE(readOtelSettings(lookupIn(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"}, {"OTEL_BSP_MAX_QUEUE_SIZE", "lots"}})));
}

TEST(OtelSettings, ServiceNameAndResource) {
  auto settings = readOtelSettings(
      lookupIn({{"OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,region=eu%2Dwest"}}));
  ASSERT_TRUE(settings);
  ASSERT_EQ(settings.value().resource.size(), 2u);
  EXPECT_EQ(settings.value().resource[0].second, "from-attrs");
  EXPECT_EQ(settings.value().resource[1].second, "eu-west");
  settings = readOtelSettings(lookupIn(
      {{"OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs"}, {"OTEL_SERVICE_NAME", "named"}}));
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings.value().resource[0].second, "named");
  settings = readOtelSettings(lookupIn({}));
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings.value().resource[0].second, "agent-host");
  EXPECT_FALSE(settings.value().captureContent);
  EXPECT_FALSE(settings.value().disabled);
}

}  // namespace
}  // namespace agent::otel
