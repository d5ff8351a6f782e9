#include "agent/host/Settings.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

using test::mapEnvironment;

Character characterWith(std::map<std::string, std::string, std::less<>> settings,
                        std::map<std::string, std::string, std::less<>> secrets) {
  Character character;
  character.name = "Agent";
  character.settings = std::move(settings);
  character.secrets = std::move(secrets);
  return character;
}

TEST(SettingsTest, SecretsBeatSettingsBeatEnvironment) {
  const Settings settings(
      characterWith({{"KEY", "from-settings"}, {"ONLY_SETTINGS", "s"}}, {{"KEY", "from-secrets"}}),
      mapEnvironment({{"KEY", "from-env"}, {"ONLY_ENV", "e"}, {"ONLY_SETTINGS", "env"}}));
  EXPECT_EQ(settings.get("KEY"), "from-secrets");
  EXPECT_EQ(settings.get("ONLY_SETTINGS"), "s");
  EXPECT_EQ(settings.get("ONLY_ENV"), "e");
  EXPECT_EQ(settings.get("MISSING"), std::nullopt);
}

TEST(SettingsTest, SettingsBeatEnvironment) {
  const Settings settings(characterWith({{"KEY", "character"}}, {}),
                          mapEnvironment({{"KEY", "env"}}));
  EXPECT_EQ(settings.get("KEY"), "character");
}

TEST(SettingsTest, EmptyStringIsAFoundValue) {
  const Settings settings(characterWith({}, {{"KEY", ""}}), mapEnvironment({{"KEY", "env"}}));
  EXPECT_EQ(settings.get("KEY"), "");
  EXPECT_FALSE(settings.isSet("KEY"));
}

TEST(SettingsTest, IsSetTreatsWhitespaceAsBlank) {
  const Settings settings({}, mapEnvironment({{"BLANK", "  \t"}, {"ZERO", "0"}, {"X", " x "}}));
  EXPECT_FALSE(settings.isSet("BLANK"));
  EXPECT_TRUE(settings.isSet("ZERO"));
  EXPECT_TRUE(settings.isSet("X"));
  EXPECT_FALSE(settings.isSet("MISSING"));
}

TEST(SettingsTest, ValuesAreReturnedVerbatim) {
  const Settings settings({}, mapEnvironment({{"KEY", "  spaced  "}}));
  EXPECT_EQ(settings.get("KEY"), "  spaced  ");
}

TEST(SettingsTest, ProcessEnvironmentReadsTheRealEnvironment) {
  ::setenv("AGENT_HOST_SETTINGS_TEST_KEY", "value", 1);
  const Settings settings;
  EXPECT_EQ(settings.get("AGENT_HOST_SETTINGS_TEST_KEY"), "value");
  ::unsetenv("AGENT_HOST_SETTINGS_TEST_KEY");
  EXPECT_EQ(settings.get("AGENT_HOST_SETTINGS_TEST_KEY"), std::nullopt);
}

TEST(SettingsTest, SwitchAcceptsTheSameWordsEverywhere) {
  for (const char* on : {"true", "1", "yes", "on", "TRUE", "Yes", " on "}) {
    const Settings settings({}, mapEnvironment({{"FLAG", on}}));
    EXPECT_EQ(settings.getSwitch("FLAG", false).value(), true) << on;
  }
  for (const char* off : {"false", "0", "no", "off", "OFF", "No"}) {
    const Settings settings({}, mapEnvironment({{"FLAG", off}}));
    EXPECT_EQ(settings.getSwitch("FLAG", true).value(), false) << off;
  }
}

TEST(SettingsTest, SwitchUnsetOrBlankIsTheFallback) {
  const Settings settings({}, mapEnvironment({{"BLANK", "  "}}));
  EXPECT_EQ(settings.getSwitch("MISSING", true).value(), true);
  EXPECT_EQ(settings.getSwitch("BLANK", false).value(), false);
}

TEST(SettingsTest, SwitchWithAnyOtherValueIsAnErrorNamingTheSettingAndTheWords) {
  const Settings settings({}, mapEnvironment({{"MODEL_FAILOVER", "maybe"}}));
  const auto result = settings.getSwitch("MODEL_FAILOVER", false);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "MODEL_FAILOVER is 'maybe': use one of true/false, 1/0, yes/no, on/off");
}

}  // namespace
}  // namespace agent::host
