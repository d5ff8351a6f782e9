#include "schema/SchemaNormalizer.hpp"

#include <gtest/gtest.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agent::bitrouter {
namespace {

std::string normalized(const char* json) {
  rapidjson::Document document;
  document.Parse(json);
  EXPECT_FALSE(document.HasParseError());
  EXPECT_EQ(SchemaNormalizer::normalize(document), "");
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  document.Accept(writer);
  return out.GetString();
}

TEST(SchemaNormalizer, ConstBecomesEnum) {
  EXPECT_EQ(normalized(R"({"const":"x"})"), R"({"enum":["x"]})");
  EXPECT_EQ(normalized(R"({"properties":{"kind":{"const":3}}})"),
            R"({"properties":{"kind":{"enum":[3]}}})");
}

TEST(SchemaNormalizer, DefsBecomeDefinitionsAndRefsFollow) {
  EXPECT_EQ(normalized(R"({"$defs":{"n":{"type":"integer"}},"$ref":"#/$defs/n"})"),
            R"({"$ref":"#/definitions/n","definitions":{"n":{"type":"integer"}}})");
  EXPECT_EQ(
      normalized(
          R"({"properties":{"a":{"$ref":"#/$defs/n"}},"$defs":{"n":{"$ref":"#/$defs/m"},"m":{"type":"string"}}})"),
      R"({"properties":{"a":{"$ref":"#/definitions/n"}},"definitions":{"n":{"$ref":"#/definitions/m"},"m":{"type":"string"}}})");
}

TEST(SchemaNormalizer, FormatIsDropped) {
  EXPECT_EQ(normalized(R"({"type":"string","format":"date-time"})"), R"({"type":"string"})");
}

TEST(SchemaNormalizer, PropertiesNamedLikeKeywordsAreLeftAlone) {
  EXPECT_EQ(normalized(R"({"properties":{"format":{"type":"string"},"const":{"type":"number"}}})"),
            R"({"properties":{"format":{"type":"string"},"const":{"type":"number"}}})");
}

TEST(SchemaNormalizer, NumericExclusiveBounds) {
  EXPECT_EQ(normalized(R"({"exclusiveMinimum":0})"), R"({"minimum":0,"exclusiveMinimum":true})");
  EXPECT_EQ(normalized(R"({"exclusiveMaximum":10,"maximum":20})"),
            R"({"maximum":10,"exclusiveMaximum":true})");
  EXPECT_EQ(normalized(R"({"exclusiveMaximum":30,"maximum":20})"), R"({"maximum":20})");
  EXPECT_EQ(normalized(R"({"minimum":1,"exclusiveMinimum":true})"),
            R"({"minimum":1,"exclusiveMinimum":true})");
}

TEST(SchemaNormalizer, BooleanSubschemas) {
  EXPECT_EQ(normalized(R"({"properties":{"a":true,"b":false},"additionalProperties":false})"),
            R"({"properties":{"a":{},"b":{"not":{}}},"additionalProperties":false})");
  EXPECT_EQ(normalized(R"({"items":false})"), R"({"items":{"not":{}}})");
}

TEST(SchemaNormalizer, WalksEverySchemaPosition) {
  EXPECT_EQ(
      normalized(
          R"({"items":[{"const":1}],"anyOf":[{"const":2}],"allOf":[{"const":3}],)"
          R"("oneOf":[{"const":4}],"not":{"const":5},"additionalProperties":{"const":6},)"
          R"("patternProperties":{"^x":{"const":7}},"dependencies":{"a":{"const":8},"b":["a"]}})"),
      R"({"items":[{"enum":[1]}],"anyOf":[{"enum":[2]}],"allOf":[{"enum":[3]}],)"
      R"("oneOf":[{"enum":[4]}],"not":{"enum":[5]},"additionalProperties":{"enum":[6]},)"
      R"("patternProperties":{"^x":{"enum":[7]}},"dependencies":{"a":{"enum":[8]},"b":["a"]}})");
}

TEST(SchemaNormalizer, DepthIsLimited) {
  std::string deep;
  for (int i = 0; i < 100; ++i)
    deep += R"({"items":)";
  deep += "{}";
  for (int i = 0; i < 100; ++i)
    deep += "}";
  rapidjson::Document document;
  document.Parse(deep.c_str());
  EXPECT_NE(SchemaNormalizer::normalize(document).find("nests deeper"), std::string::npos);
}

TEST(SchemaNormalizer, ReferencesMustBeLocalAndResolve) {
  auto check = [](const char* json) {
    rapidjson::Document document;
    document.Parse(json);
    return SchemaNormalizer::checkReferences(document);
  };
  EXPECT_EQ(check(R"({"definitions":{"n":{}},"properties":{"a":{"$ref":"#/definitions/n"}}})"), "");
  EXPECT_EQ(check(R"({"$ref":"#"})"), "");
  EXPECT_EQ(check(R"({"properties":{"a":{"$ref":"#/definitions/missing"}}})"),
            "responseSchema $ref '#/definitions/missing' at '#/properties/a' does not resolve");
  EXPECT_NE(check(R"({"$ref":"https://example.com/schema.json"})").find("not local"),
            std::string::npos);
}

}  // namespace
}  // namespace agent::bitrouter
