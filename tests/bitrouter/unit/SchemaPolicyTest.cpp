// KeywordPolicy, StrictSchema and EcmaPattern: what a caller's schema may say, and how.
#include <string>

#include <gtest/gtest.h>

#include "schema/EcmaPattern.hpp"
#include "schema/KeywordPolicy.hpp"
#include "schema/StrictSchema.hpp"

namespace agent::bitrouter {
namespace {

rapidjson::Document parsed(const char* json) {
  rapidjson::Document document;
  document.Parse(json);
  EXPECT_FALSE(document.HasParseError()) << json;
  return document;
}

std::string policy(const char* json) {
  return keywordPolicyProblem(parsed(json));
}
std::string strict(const char* json) {
  return strictModeProblem(parsed(json));
}

TEST(KeywordPolicy, EnforcedRewrittenAndAnnotationKeywordsPass) {
  EXPECT_EQ(policy(R"({"type":"object","properties":{"a":{"const":1,"title":"A"}},
      "contains":{},"if":{},"then":{},"else":{},"prefixItems":[{}],"dependentRequired":{},
      "propertyNames":{"pattern":"^a","maxLength":3},"$defs":{"d":{"examples":[1]}},
      "$comment":"c","x-vendor":{"unevaluatedProperties":false},"format":"email"})"),
            "");
}

TEST(KeywordPolicy, AnythingElseIsRefusedWithItsLocation) {
  EXPECT_NE(policy(R"({"properties":{"a":{"unevaluatedProperties":false}}})")
                .find("keyword 'unevaluatedProperties' at '#/properties/a/unevaluatedProperties'"),
            std::string::npos);
  EXPECT_NE(policy(R"({"requried":["a"]})").find("'requried'"), std::string::npos);
  EXPECT_NE(policy(R"({"contentEncoding":"base64"})").find("'contentEncoding'"), std::string::npos);
  EXPECT_NE(policy(R"({"propertyNames":{"minLength":2}})").find("'minLength' in propertyNames"),
            std::string::npos);
  // Property names are not keywords.
  EXPECT_EQ(policy(R"({"properties":{"unevaluatedProperties":{}}})"), "");
}

TEST(KeywordPolicy, SchemasKeptUnderAnyKeyForRefAreCheckedNotRefused) {
  EXPECT_EQ(policy(R"({"my defs":{"a":{"type":"string"}},"$ref":"#/my%20defs/a"})"), "");
  EXPECT_NE(
      policy(R"({"my defs":{"a":{"minContains":1}},"$ref":"#/my%20defs/a"})").find("'minContains'"),
      std::string::npos);
}

TEST(KeywordPolicy, NestedIdBesideRefIsRefused) {
  EXPECT_NE(policy(R"({"definitions":{"n":{"$id":"n.json"}},"$ref":"#/definitions/n"})")
                .find("nested $id"),
            std::string::npos);
  EXPECT_EQ(policy(R"({"$id":"http://example.com/s","$ref":"#/definitions/n",
      "definitions":{"n":{}}})"),
            "");
}

TEST(StrictSchema, EveryObjectClosedWithEveryPropertyRequired) {
  EXPECT_EQ(strict(R"({"type":"object","additionalProperties":false,"required":["a"],
      "properties":{"a":{"type":"array","items":{"type":"object","additionalProperties":false,
        "properties":{"b":{}},"required":["b"]}}}})"),
            "");
  EXPECT_NE(strict(R"({"type":"object"})").find("at '#' needs \"additionalProperties\": false"),
            std::string::npos);
  EXPECT_NE(strict(R"({"additionalProperties":false,"properties":{"a":{},"b":{}},
      "required":["a"]})")
                .find("at '#' must list every property in required (missing 'b')"),
            std::string::npos);
  EXPECT_NE(strict(R"({"type":"array","items":{"type":["object","null"]}})").find("'#/items'"),
            std::string::npos);
}

std::string translated(const char* ecma) {
  const TranslatedPattern result = translateEcmaPattern(ecma);
  return result.problem.empty() ? result.pattern : "REFUSED: " + result.problem;
}

TEST(EcmaPattern, ClassesEscapesAndQuantifiersAreSpelledOut) {
  EXPECT_EQ(translated(R"(^\d{3}$)"), "^[0-9]{3}$");
  EXPECT_EQ(translated(R"([\w.]+)"), "[0-9A-Za-z_.]+");
  EXPECT_EQ(translated(R"(\D)"), "[^0-9]");
  EXPECT_EQ(translated(R"(a\/b\u00e1\x2E)"), "a/b\xC3\xA1\\.");
  EXPECT_EQ(translated("(?:ab)+?"), "(ab)+");
  EXPECT_EQ(translated("a.c"), "a[^\\n\\r\xE2\x80\xA8\xE2\x80\xA9]c");
  EXPECT_EQ(translated("^\xC3\xA1"), "^\xC3\xA1");  // non-ASCII literals pass as they are
}

TEST(EcmaPattern, WhatTheEngineCannotSayIsRefused) {
  for (const char* ecma :
       {R"(\bword)", R"((a)\1)", "a(?=b)", R"(\p{L})", "a|^b", "a$|b", R"([\D])", "x\\"}) {
    EXPECT_EQ(translated(ecma).rfind("REFUSED", 0), 0u) << ecma;
  }
}

}  // namespace
}  // namespace agent::bitrouter
