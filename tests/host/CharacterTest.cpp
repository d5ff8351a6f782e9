#include "agent/host/Character.hpp"

#include <gtest/gtest.h>

#include "support/TestSupport.hpp"

namespace agent::host {
namespace {

Character parseOk(std::string_view json) {
  auto result = parseCharacter(json);
  if (!result) {
    ADD_FAILURE() << result.error().message;
    return {};
  }
  return result.value();
}

std::string parseError(std::string_view json, std::string_view origin = "character") {
  auto result = parseCharacter(json, origin);
  if (!result) return result.error().message;
  ADD_FAILURE() << "expected an error for " << json;
  return {};
}

TEST(CharacterTest, ReadsNameSettingsAndSecrets) {
  const auto character = parseOk(R"({"name": "Eliza",
      "settings": {"TEXT_SMALL_MAX_TOKENS": 99, "DEFAULT_TEMPERATURE": 0.55, "FLAG": true,
                   "MODEL": "gpt"},
      "secrets": {"BITROUTER_API_KEY": "brvk_x"}})");
  EXPECT_EQ(character.name, "Eliza");
  EXPECT_EQ(character.settings.at("TEXT_SMALL_MAX_TOKENS"), "99");
  EXPECT_EQ(character.settings.at("DEFAULT_TEMPERATURE"), "0.55");
  EXPECT_EQ(character.settings.at("FLAG"), "true");
  EXPECT_EQ(character.settings.at("MODEL"), "gpt");
  EXPECT_EQ(character.secrets.at("BITROUTER_API_KEY"), "brvk_x");
}

TEST(CharacterTest, NestedExtraAndSecretsRankBelowPlainSettings) {
  const auto character = parseOk(R"({"name": "A", "settings": {
      "A": "plain", "extra": {"A": "extra", "B": "extra"},
      "secrets": {"A": "nested", "B": "nested", "C": "nested"}}})");
  EXPECT_EQ(character.settings.at("A"), "plain");
  EXPECT_EQ(character.settings.at("B"), "extra");
  EXPECT_EQ(character.settings.at("C"), "nested");
  EXPECT_EQ(character.settings.count("extra"), 0u);
}

TEST(CharacterTest, NullsAreSkippedAndNestedSettingsComeAsJsonText) {
  const auto character = parseOk(R"({"name": "A",
      "settings": {"NONE": null, "voice": {"model": "x"}, "list": [1],
                   "mcp": {"servers": {"fs": {"command": "npx"}}}}})");
  EXPECT_EQ(character.settings.count("NONE"), 0u);
  EXPECT_EQ(character.settings.at("voice"), R"({"model":"x"})");
  EXPECT_EQ(character.settings.at("list"), "[1]");
  EXPECT_EQ(character.settings.at("mcp"), R"({"servers":{"fs":{"command":"npx"}}})");
}

TEST(CharacterTest, EmptyObjectIsACharacterWithoutName) {
  const auto character = parseOk("{}");
  EXPECT_TRUE(character.name.empty());
  EXPECT_TRUE(character.settings.empty());
}

TEST(CharacterTest, RejectsInvalidJsonWithOffset) {
  const auto message = parseError(R"({"name": )", "character file 'x.json'");
  EXPECT_NE(message.find("character file 'x.json'"), std::string::npos) << message;
  EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
  EXPECT_NE(message.find("offset"), std::string::npos) << message;
}

TEST(CharacterTest, RejectsWrongShapes) {
  EXPECT_NE(parseError("[1]").find("JSON object"), std::string::npos);
  EXPECT_NE(parseError(R"({"name": 5})").find("\"name\" must be a string"), std::string::npos);
  EXPECT_NE(parseError(R"({"settings": []})").find("\"settings\" must be an object"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"secrets": "x"})").find("\"secrets\" must be an object"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"secrets": {"K": {"a": 1}}})").find("secrets.K"), std::string::npos);
}

TEST(CharacterTest, LoadReportsMissingFile) {
  auto result = loadCharacter("/nonexistent/agent-character.json");
  ASSERT_FALSE(result.ok());
  const auto& message = result.error().message;
  EXPECT_NE(message.find("/nonexistent/agent-character.json"), std::string::npos) << message;
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}

TEST(CharacterTest, LoadReportsDirectory) {
  test::TempDir dir;
  auto result = loadCharacter(dir.path());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("directory"), std::string::npos);
}

TEST(CharacterTest, LoadReadsAFile) {
  test::TempDir dir;
  const auto file = dir.write("agent.json", R"({"name": "Filed", "secrets": {"K": "v"}})");
  auto result = loadCharacter(file);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.value().name, "Filed");
  EXPECT_EQ(result.value().secrets.at("K"), "v");
}

TEST(CharacterTest, LoadReportsEmptyFile) {
  test::TempDir dir;
  auto result = loadCharacter(dir.write("empty.json", ""));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("empty.json"), std::string::npos);
}

TEST(CharacterTest, SystemPromptIsTheCharactersOwnWhenSet) {
  const Character character = parseOk(R"({"name":"Ada","system":"Be terse.","bio":"b"})");
  EXPECT_EQ(systemPrompt(character), "Be terse.");
}

TEST(CharacterTest, SystemPromptIsBuiltFromNameBioAndChatStyle) {
  const Character character = parseOk(
      R"({"name":"Ada","bio":["a mathematician","writes programs"],
          "style":{"all":["short sentences"],"chat":["asks questions"],"post":["ignored"]}})");
  EXPECT_EQ(systemPrompt(character),
            "You are Ada.\n\nAbout you:\n- a mathematician\n- writes programs\n\n"
            "How you write:\n- short sentences\n- asks questions");
  EXPECT_EQ(systemPrompt(parseOk(R"({})")), "");
}

TEST(CharacterTest, PersonaFieldsOfTheWrongShapeAreNamed) {
  for (const char* json : {R"({"system":1})", R"({"bio":{"a":1}})", R"({"bio":[1]})",
                           R"({"style":"x"})", R"({"style":{"all":[true]}})"}) {
    EXPECT_FALSE(parseError(json).empty()) << json;
  }
}

}  // namespace
}  // namespace agent::host
