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
  EXPECT_EQ(normalized(R"({"$defs":{"n":{"type":"string"}},"$ref":"#/$defs/n"})"),
            R"({"$ref":"#/definitions/n","definitions":{"n":{"type":"string"}}})");
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
      // additionalProperties moves into allOf beside a pattern (PatternPropertiesBeside...).
      R"({"items":[{"enum":[1]}],"anyOf":[{"enum":[2]}],"allOf":[{"enum":[3]},)"
      R"({"patternProperties":{"^x":{}},"additionalProperties":{"enum":[6]}}],)"
      R"("oneOf":[{"enum":[4]}],"not":{"enum":[5]},"dependencies":{"a":{"enum":[8]},"b":["a"]},)"
      R"("patternProperties":{"^x":{"enum":[7]}}})");
}

TEST(SchemaNormalizer, DepthIsLimited) {
  std::string deep;
  for (int i = 0; i < 140; ++i)
    deep += R"({"items":)";
  deep += "{}";
  for (int i = 0; i < 140; ++i)
    deep += "}";
  rapidjson::Document document;
  document.Parse(deep.c_str());
  EXPECT_NE(SchemaNormalizer::normalize(document).find("nests deeper"), std::string::npos);
}

TEST(SchemaNormalizer, ContainsBecomesNotItemsNot) {
  EXPECT_EQ(normalized(R"({"contains":{"const":1}})"),
            R"({"allOf":[{"not":{"type":"array","items":{"not":{"enum":[1]}}}}]})");
  EXPECT_EQ(normalized(R"({"allOf":[{}],"contains":false})"),
            R"({"allOf":[{},{"not":{"type":"array","items":{"not":{"not":{}}}}}]})");
}

TEST(SchemaNormalizer, IfThenElseBecomesAnyOfOfAllOfs) {
  EXPECT_EQ(normalized(R"({"if":{"minimum":1},"then":{"maximum":5},"else":{"const":0}})"),
            R"({"allOf":[{"anyOf":[{"allOf":[{"minimum":1},{"maximum":5}]},)"
            R"({"allOf":[{"not":{"minimum":1}},{"enum":[0]}]}]}]})");
  EXPECT_EQ(normalized(R"({"if":true})"),
            R"({"allOf":[{"anyOf":[{"allOf":[{},{}]},{"allOf":[{"not":{}},{}]}]}]})");
  EXPECT_EQ(normalized(R"({"then":{"maximum":5},"else":false})"), "{}");  // no if: no meaning
}

TEST(SchemaNormalizer, PrefixItemsAndDependentKeywords) {
  EXPECT_EQ(normalized(R"({"prefixItems":[{"type":"string"}],"items":false})"),
            R"({"additionalItems":false,"items":[{"type":"string"}]})");
  EXPECT_EQ(normalized(R"({"dependentRequired":{"a":["b"]},"dependentSchemas":{"c":{"const":1}}})"),
            R"({"dependencies":{"a":["b"],"c":{"enum":[1]}}})");
  EXPECT_EQ(
      normalized(R"({"dependencies":{"a":["b"]},"dependentSchemas":{"a":{"minProperties":3}}})"),
      R"({"dependencies":{"a":{"allOf":[{"required":["b"]},{"minProperties":3}]}}})");
}

TEST(SchemaNormalizer, PropertyNamesBecomePatternProperties) {
  EXPECT_EQ(normalized(R"({"propertyNames":{"pattern":"^a"}})"),
            R"({"allOf":[{"patternProperties":{"^a":{}},"additionalProperties":{"not":{}}}]})");
  EXPECT_EQ(normalized(R"({"propertyNames":false})"), R"({"allOf":[{"maxProperties":0}]})");
  EXPECT_EQ(normalized(R"({"propertyNames":true})"), "{}");
}

// RapidJSON 1.1 left a name matched by a pattern without a schema beside
// additionalProperties:false (a crash), and let additionalProperties overrule a failing pattern.
TEST(SchemaNormalizer, PatternPropertiesBesideAdditionalProperties) {
  EXPECT_EQ(normalized(R"({"patternProperties":{"^a":{}},"additionalProperties":false})"),
            R"({"patternProperties":{"^a":{}},"additionalProperties":{"not":{}}})");
  EXPECT_EQ(
      normalized(
          R"({"properties":{"p":{}},"patternProperties":{"^a":{"type":"string"}},"additionalProperties":{"type":"integer"}})"),
      R"({"properties":{"p":{}},"patternProperties":{"^a":{"type":"string"}},)"
      R"("allOf":[{"patternProperties":{"^a":{}},"properties":{"p":{}},)"
      R"("additionalProperties":{"type":"number","multipleOf":1}}]})");
}

// Drafts 6+ count 1.0 and 1e52 as integers; RapidJSON's integer type takes only 64-bit ones.
TEST(SchemaNormalizer, IntegerBecomesNumberWithMultipleOfOne) {
  EXPECT_EQ(normalized(R"({"type":"integer"})"), R"({"type":"number","multipleOf":1})");
  EXPECT_EQ(normalized(R"({"type":["integer","null"],"multipleOf":3})"),
            R"({"type":["number","null"],"multipleOf":3})");
  EXPECT_EQ(normalized(R"({"type":"integer","multipleOf":0.5})"),
            R"({"type":"number","multipleOf":0.5,"allOf":[{"multipleOf":1}]})");
  EXPECT_EQ(normalized(R"({"type":["integer","number"]})"), R"({"type":["integer","number"]})");
}

TEST(SchemaNormalizer, PatternsAreTranslatedToTheEnginesDialect) {
  EXPECT_EQ(normalized(R"({"pattern":"^\\d+\\/x$"})"), R"({"pattern":"^[0-9]+/x$"})");
  EXPECT_EQ(normalized(R"({"patternProperties":{"(?:a)*?":{}}})"),
            R"({"patternProperties":{"(a)*":{}}})");
  rapidjson::Document document;
  document.Parse(R"({"pattern":"a\\bc"})");
  EXPECT_NE(SchemaNormalizer::normalize(document).find("the pattern at #/pattern uses \\b"),
            std::string::npos);
}

// A schema kept under any key and used through $ref is normalised like the others.
TEST(SchemaNormalizer, ReferenceTargetsOutsideSchemaPositionsAreNormalised) {
  EXPECT_EQ(normalized(R"({"properties":{"p":{"$ref":"#/x-lib/a"}},"x-lib":{"a":{"const":1}}})"),
            R"({"properties":{"p":{"$ref":"#/x-lib/a"}},"x-lib":{"a":{"enum":[1]}}})");
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
