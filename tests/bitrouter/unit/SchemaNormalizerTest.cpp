#include "agent/bitrouter/SchemaNormalizer.hpp"

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

std::string problemWith(const std::string& pattern) {
  rapidjson::Document document;
  document.Parse((R"({"type":"string","pattern":")" + pattern + R"("})").c_str());
  EXPECT_FALSE(document.HasParseError()) << pattern;
  return SchemaNormalizer::normalize(document);
}

// RapidJSON's regex engine recurses without bound on these, so they are refused up front
// (found by the schema fuzz target).
TEST(SchemaNormalizer, PatternsTheRegexEngineCannotRunAreRefused) {
  for (const char* pattern :
       {"a**", "a*?", "(a*)*", "^(x?)+$", "(a{0,2})*", "^(a+$", "a)", "[a-", "a{2", "*a"}) {
    const std::string problem = problemWith(pattern);
    EXPECT_NE(problem.find("#/pattern"), std::string::npos) << pattern << ": " << problem;
  }
}

// Problems name their place as a URI fragment, so a key's odd bytes cannot break the line.
TEST(SchemaNormalizer, ProblemsNameOddKeysOnOneLine) {
  rapidjson::Document document;
  document.Parse(R"({"properties":{"a\nb/c":{"pattern":"a**"}}})");
  ASSERT_FALSE(document.HasParseError());
  const std::string problem = SchemaNormalizer::normalize(document);
  EXPECT_NE(problem.find("the pattern at #/properties/a%0Ab~1c/pattern"), std::string::npos)
      << problem;
}

std::string normalizeProblem(const char* json) {
  rapidjson::Document document;
  document.Parse(json);
  EXPECT_FALSE(document.HasParseError()) << json;
  return SchemaNormalizer::normalize(document);
}

// RapidJSON 1.1.0 follows a $ref to a $ref by recursion with no cycle check (found by the schema
// fuzz target: {"$ref":"#"} overflowed the stack), and reads each target as an object.
TEST(SchemaNormalizer, ReferenceCyclesAndNonSchemaTargetsAreRefused) {
  EXPECT_NE(normalizeProblem(R"({"$ref":"#"})").find("$ref at '#' starts a chain of more than 32"),
            std::string::npos);
  EXPECT_NE(normalizeProblem(R"({"definitions":{"a":{"$ref":"#/definitions/b"},
      "b":{"$ref":"#/definitions/a"}},"properties":{"x":{"$ref":"#/definitions/a"}}})")
                .find("a cycle?"),
            std::string::npos);
  // Anywhere in the document, not only in schema positions.
  EXPECT_NE(normalizeProblem(R"({"enum":[{"$ref":"#/enum/0"}]})").find("$ref at '#/enum/0'"),
            std::string::npos);
  EXPECT_NE(normalizeProblem(R"({"type":"object","properties":{"a":{"$ref":"#/type"}}})")
                .find("$ref at '#/properties/a' points to a value that is not a schema"),
            std::string::npos);
}

TEST(SchemaNormalizer, RecursiveSchemasAndShortChainsAreKept) {
  EXPECT_EQ(normalizeProblem(R"({"type":"object","properties":{"child":{"$ref":"#"}}})"), "");
  EXPECT_EQ(normalizeProblem(R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"type":"string"}},
      "properties":{"x":{"$ref":"#/$defs/a"}}})"),
            "");
  EXPECT_EQ(normalizeProblem(R"({"properties":{"x":{"$ref":"#/definitions/missing"}}})"), "");
}

TEST(SchemaNormalizer, OrdinaryPatternsAreKept) {
  for (const char* pattern :
       {"^[a-z]+$", R"(^\\d{3}-\\d{4}$)", "(ab)+", "^(a|b)*c?$", "[*+?]+", R"(\\(x\\)*)"}) {
    EXPECT_EQ(problemWith(pattern), "") << pattern;
  }
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
