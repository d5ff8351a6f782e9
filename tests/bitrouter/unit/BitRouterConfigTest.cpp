#include "agent/bitrouter/BitRouterConfig.hpp"

#include <gtest/gtest.h>

#include "agent/bitrouter/ConfigError.hpp"

namespace agent::bitrouter {
namespace {

using namespace std::chrono_literals;

BitRouterConfig configWith(std::map<std::string, std::string, std::less<>> settings) {
  return BitRouterConfig::fromSettings(lookupFromMap(std::move(settings)));
}

std::string configErrorFor(const std::string& key, const std::string& value) {
  try {
    configWith({{key, value}});
  } catch (const ConfigError& error) {
    return error.what();
  }
  return {};
}

TEST(BitRouterConfig, DefaultsMatchTheOriginalAndTheIssue) {
  const BitRouterConfig config = configWith({});
  EXPECT_EQ(config.baseUrl.text, "http://127.0.0.1:4356");
  EXPECT_FALSE(config.hasApiKey());
  EXPECT_FALSE(config.structuredOutputs);
  EXPECT_EQ(config.timeout, 300000ms);
  EXPECT_EQ(config.connectTimeout, 10000ms);
  EXPECT_EQ(config.streamIdleTimeout, 90000ms);
  EXPECT_EQ(config.maxRetries, 2);
  EXPECT_EQ(config.maxResponseBytes, 16u * 1024u * 1024u);
  EXPECT_EQ(config.retryBaseDelay, 250ms);
  EXPECT_EQ(config.models.find(ModelType::TextSmall)->model, "gpt-4o-mini");
  EXPECT_EQ(config.models.find(ModelType::TextLarge)->model, "gpt-4o");
}

TEST(BitRouterConfig, DefaultConstructedEqualsEmptySettings) {
  const BitRouterConfig direct;
  EXPECT_EQ(direct.baseUrl.text, configWith({}).baseUrl.text);
  EXPECT_EQ(direct.timeout, configWith({}).timeout);
}

TEST(BitRouterConfig, ReadsEverySetting) {
  const BitRouterConfig config = configWith({
      {"BITROUTER_BASE_URL", "https://router.example/gw/"},
      {"BITROUTER_API_KEY", "  brvk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG \n"},
      {"BITROUTER_STRUCTURED_OUTPUTS", "yes"},
      {"BITROUTER_TIMEOUT_MS", "1500"},
      {"BITROUTER_CONNECT_TIMEOUT_MS", " 250 "},
      {"BITROUTER_STREAM_IDLE_TIMEOUT_MS", "45000"},
      {"BITROUTER_MAX_RETRIES", "0"},
      {"BITROUTER_MAX_RESPONSE_BYTES", "4096"},
      {"BITROUTER_RETRY_BASE_MS", "0"},
  });
  EXPECT_EQ(config.baseUrl.text, "https://router.example/gw");
  EXPECT_EQ(config.apiKey, "brvk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
  EXPECT_TRUE(config.structuredOutputs);
  EXPECT_EQ(config.timeout, 1500ms);
  EXPECT_EQ(config.connectTimeout, 250ms);
  EXPECT_EQ(config.streamIdleTimeout, 45000ms);
  EXPECT_EQ(config.maxRetries, 0);
  EXPECT_EQ(config.maxResponseBytes, 4096u);
  EXPECT_EQ(config.retryBaseDelay, 0ms);
}

TEST(BitRouterConfig, EmptyOrBlankKeyMeansNoKey) {
  EXPECT_FALSE(configWith({{"BITROUTER_API_KEY", ""}}).hasApiKey());
  EXPECT_FALSE(configWith({{"BITROUTER_API_KEY", "   "}}).hasApiKey());
}

TEST(BitRouterConfig, StructuredOutputsFlagSpellings) {
  struct Case {
    const char* value;
    bool expected;
  };
  for (const Case& c : {Case{"true", true}, Case{" TRUE ", true}, Case{"True", true},
                        Case{"1", true}, Case{"yes", true}, Case{"YES", true}, Case{"on", true},
                        Case{"On", true}, Case{"0", false}, Case{"", false}, Case{"  ", false},
                        Case{"false", false}, Case{"no", false}, Case{"OFF", false}}) {
    EXPECT_EQ(configWith({{"BITROUTER_STRUCTURED_OUTPUTS", c.value}}).structuredOutputs, c.expected)
        << "'" << c.value << "'";
  }
}

TEST(BitRouterConfig, UnknownSwitchWordIsAConfigErrorNamingTheSettingAndTheWords) {
  for (const char* value : {"enabled", "2", "y", "tru"}) {
    const std::string message = configErrorFor("BITROUTER_STRUCTURED_OUTPUTS", value);
    EXPECT_NE(message.find("BITROUTER_STRUCTURED_OUTPUTS"), std::string::npos) << message;
    EXPECT_NE(message.find("true, 1, yes or on"), std::string::npos) << message;
    EXPECT_NE(message.find("false, 0, no or off"), std::string::npos) << message;
    EXPECT_NE(message.find(std::string("(any case; got '") + value + "')"), std::string::npos)
        << message;
  }
}

TEST(BitRouterConfig, BadNumbersAreConfigErrorsNamingTheSetting) {
  for (const char* key :
       {"BITROUTER_TIMEOUT_MS", "BITROUTER_CONNECT_TIMEOUT_MS", "BITROUTER_STREAM_IDLE_TIMEOUT_MS",
        "BITROUTER_MAX_RETRIES", "BITROUTER_MAX_RESPONSE_BYTES"}) {
    for (const char* value : {"abc", "-5", "1.5", "10s", "1e3", "99999999999999999999999"}) {
      const std::string message = configErrorFor(key, value);
      EXPECT_NE(message.find(key), std::string::npos) << key << "=" << value << ": " << message;
      EXPECT_NE(message.find("whole number"), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos);
    }
  }
  EXPECT_NE(configErrorFor("BITROUTER_TIMEOUT_MS", "0").find("from 1 to"), std::string::npos);
  EXPECT_NE(configErrorFor("BITROUTER_MAX_RETRIES", "11").find("from 0 to 10"), std::string::npos);
  EXPECT_NE(configErrorFor("BITROUTER_MAX_RESPONSE_BYTES", "100").find("from 1024"),
            std::string::npos);
  EXPECT_NE(configErrorFor("BITROUTER_TIMEOUT_MS", "abc").find("(got 'abc')"), std::string::npos);
}

TEST(BitRouterConfig, BlankNumbersMeanTheDefault) {
  EXPECT_EQ(configWith({{"BITROUTER_TIMEOUT_MS", " "}}).timeout, 300000ms);
  EXPECT_EQ(configWith({{"BITROUTER_MAX_RETRIES", ""}}).maxRetries, 2);
}

TEST(BitRouterConfig, BadBaseUrlIsAConfigError) {
  EXPECT_NE(configErrorFor("BITROUTER_BASE_URL", "ftp://x").find("BITROUTER_BASE_URL"),
            std::string::npos);
}

TEST(BitRouterConfig, KeyWithInnerWhitespaceIsRejectedWithoutEchoingIt) {
  const std::string key = "brvk_secretpart\nsecondline";
  const std::string message = configErrorFor("BITROUTER_API_KEY", key);
  EXPECT_NE(message.find("BITROUTER_API_KEY"), std::string::npos);
  EXPECT_EQ(message.find("secretpart"), std::string::npos);
  EXPECT_EQ(message.find("secondline"), std::string::npos);
}

TEST(BitRouterConfig, KeyPastedIntoAnotherSettingIsNeverEchoed) {
  // The 48-character key of the integration test and a long one (longer than any echo limit).
  for (const std::string& key : {std::string("brvk_ZZleakCanary0123456789abcdefghijklmnopqrstu"),
                                 "brvk_ZZleakCanary" + std::string(120, 'k')}) {
    for (const char* setting :
         {"BITROUTER_BASE_URL", "BITROUTER_TIMEOUT_MS", "BITROUTER_CONNECT_TIMEOUT_MS",
          "BITROUTER_STREAM_IDLE_TIMEOUT_MS", "BITROUTER_MAX_RETRIES",
          "BITROUTER_MAX_RESPONSE_BYTES", "BITROUTER_RETRY_BASE_MS"}) {
      for (const std::string& value : {key, "Bearer " + key, key.substr(5), "http://" + key}) {
        std::string message;
        try {
          configWith({{"BITROUTER_API_KEY", key}, {setting, value}});
        } catch (const ConfigError& error) {
          message = error.what();
        }
        ASSERT_FALSE(message.empty()) << setting << " accepted a pasted key";
        EXPECT_NE(message.find(setting), std::string::npos) << message;
        // Assertion messages never print `message` itself: it might hold the key.
        EXPECT_EQ(message.find("ZZleak"), std::string::npos) << setting << " echoed the key";
        EXPECT_EQ(message.find("Canary"), std::string::npos) << setting << " echoed the key";
      }
    }
  }
}

TEST(BitRouterConfig, ConfigErrorsAreRedactedEvenForOtherKeyShapes) {
  // Not a brvk_ key: caught by the configured key itself (whole or in pieces).
  const std::string key = "sk-or-v1-0123456789abcdef0123456789abcdef";
  for (const std::string& value : {key, key + "x", key.substr(0, 20), "1" + key.substr(9, 9)}) {
    std::string message;
    try {
      configWith({{"BITROUTER_API_KEY", key}, {"BITROUTER_MAX_RETRIES", value}});
    } catch (const ConfigError& error) {
      message = error.what();
    }
    EXPECT_NE(message.find("BITROUTER_MAX_RETRIES"), std::string::npos);
    EXPECT_EQ(message.find("0123456"), std::string::npos) << "echoed " << value.size();
    EXPECT_EQ(message.find("89abcdef"), std::string::npos) << "echoed " << value.size();
  }
  // Harmless values are still shown.
  EXPECT_NE(configErrorFor("BITROUTER_TIMEOUT_MS", "soon").find("(got 'soon')"), std::string::npos);
}

TEST(BitRouterConfig, KeyInsideAValidBaseUrlIsRefused) {
  const std::string key = "brvk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  std::string message;
  try {
    configWith({{"BITROUTER_API_KEY", key}, {"BITROUTER_BASE_URL", "http://" + key + ":4356"}});
  } catch (const ConfigError& error) {
    message = error.what();
  }
  EXPECT_NE(message.find("BITROUTER_BASE_URL must not contain an API key"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("abcdefgh"), std::string::npos);
}

}  // namespace
}  // namespace agent::bitrouter
