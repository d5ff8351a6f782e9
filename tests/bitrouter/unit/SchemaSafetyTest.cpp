#include "schema/SchemaSafety.hpp"

#include <string>

#include <gtest/gtest.h>

#include "schema/SchemaNormalizer.hpp"

namespace agent::bitrouter {
namespace {

// As CompiledSchema runs it: on the normalised document (normalising may refuse first).
std::string problemOf(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  EXPECT_FALSE(document.HasParseError()) << json;
  if (std::string problem = SchemaNormalizer::normalize(document); !problem.empty()) {
    return problem;
  }
  return SchemaSafety::check(document);
}

bool refused(const std::string& json, const std::string& fragment) {
  const std::string problem = problemOf(json);
  if (problem.find(fragment) != std::string::npos) return true;
  ADD_FAILURE() << json << "\n  gave: '" << problem << "'\n  expected it to contain: " << fragment;
  return false;
}

std::string withPattern(const std::string& pattern) {
  return R"({"type":"string","pattern":")" + pattern + R"("})";
}

// RapidJSON's regex engine recurses without bound on these, or asserts (found by the schema fuzz
// target).
TEST(SchemaSafety, PatternsTheRegexEngineCannotRunAreRefused) {
  for (const char* pattern :
       {"a**", "a+*", "(a*)*", "^(x?)+$", "(a{0,2})*", "^(a+$", "a)", "[a-", "a{2", "*a", "^{3}.$",
        "^*a", "a$+", "()}0}", "(a|)", "|a", "a||b", "a|"}) {
    EXPECT_TRUE(refused(withPattern(pattern), "the pattern at #/pattern")) << pattern;
  }
  EXPECT_TRUE(refused(R"({"patternProperties":{"(a*)*":{}}})", "a patternProperties key at #"));
  // The compiler copies a counted group once per count: 15 GB and a minute for the first.
  EXPECT_TRUE(refused(withPattern("((a{1000}){1000}){1000}"), "more than 10000 states"));
  EXPECT_TRUE(refused(withPattern("(a{100}){100}"), "more than 10000 states"));
  EXPECT_TRUE(refused(withPattern("(ab{50,}){300}"), "more than 10000 states"));
  // It copies as soon as it has read the counts and looks for the '}' only then: the first took
  // over 10 s to fail under the fuzzer (found by the schema fuzz target).
  EXPECT_TRUE(refused(withPattern("2{28641]0[,,}}+,"), "more than 10000 states"));
  EXPECT_TRUE(refused(withPattern("(a{99,999999x"), "more than 10000 states"));
  // The engine stops at a NUL or an undecodable byte, leaving "(" open (an assertion).
  EXPECT_TRUE(refused(withPattern(R"(a(\u0000))"), "contains a NUL character"));
  EXPECT_TRUE(refused(withPattern("a(\xff)"), "is not valid UTF-8"));
  // What the engine would drop unparsed (and so never check) is refused too.
  EXPECT_TRUE(refused(withPattern("a{,3}"), "not supported by the validator's regular expression"));
}

TEST(SchemaSafety, OrdinaryPatternsAreKept) {
  for (const char* pattern :
       {"^[a-z]+$", R"(^\\d{3}-\\d{4}$)", "(ab)+", "^(a|b)*c?$", "[*+?]+", R"(\\(x\\)*)",
        "^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$", "(a{10}){10}", "x{0,500}", "(a{1,30}){1,30}"}) {
    EXPECT_EQ(problemOf(withPattern(pattern)), "") << pattern;
  }
}

// RapidJSON compiles the pattern of every object and follows every $ref, whatever keyword the
// object sits under.
TEST(SchemaSafety, EveryObjectIsCheckedNotOnlySchemaPositions) {
  EXPECT_TRUE(refused(R"({"x-extra":{"pattern":"(a"}})", "the pattern at #/x-extra/pattern"));
  EXPECT_TRUE(refused(R"({"enum":[{"pattern":"a**"}]})", "the pattern at #/enum/0/pattern"));
  EXPECT_TRUE(refused(R"({"enum":[{"$ref":"#/enum/0"}]})", "at '#/enum/0' leads back to itself"));
  // A pattern the engine cannot parse matters only where the validator applies it.
  EXPECT_EQ(problemOf(R"({"x-extra":{"pattern":"a{,3}"}})"), "");
}

// Problems name their place as a URI fragment, so a key's odd bytes cannot break the line.
TEST(SchemaSafety, ProblemsNameOddKeysOnOneLine) {
  EXPECT_TRUE(refused(R"({"properties":{"a\nb/c":{"pattern":"a**"}}})",
                      "the pattern at #/properties/a%0Ab~1c/pattern"));
}

// RapidJSON reads a $ref's target as an object without checking (an assertion, or undefined
// behaviour in release builds).
TEST(SchemaSafety, AReferenceToSomethingOtherThanAnObjectIsRefused) {
  EXPECT_TRUE(refused(R"({"type":"object","properties":{"a":{"$ref":"#/type"}}})",
                      "$ref at '#/properties/a' points to a value that is not a schema"));
  EXPECT_TRUE(refused(R"({"required":["a"],"properties":{"a":{"$ref":"#/required/0"}}})",
                      "points to a value that is not a schema"));
}

// RapidJSON builds a schema from every object and trusts some keyword types: a patternProperties
// that is not an object trips it while building (found by the schema fuzz target), and a "not",
// "allOf" entry or "items" entry that is not an object becomes a null schema it dereferences once
// a $ref makes that object a schema.
TEST(SchemaSafety, ObjectsRapidJsonTrustsAreCheckedOutsideSchemaPositions) {
  EXPECT_TRUE(refused(R"({"all":{"patternProperties":[{"$re":"null"}]}})",
                      "patternProperties that is not an object at '#/all'"));
  EXPECT_TRUE(refused(R"({"x-extra":{"not":1},"properties":{"a":{"$ref":"#/x-extra"}}})",
                      "not a valid JSON Schema at '#/x-extra/not'"));
  EXPECT_TRUE(refused(R"({"x-extra":{"allOf":[2]},"properties":{"a":{"$ref":"#/x-extra"}}})",
                      "not a valid JSON Schema at '#/x-extra/allOf"));
  EXPECT_TRUE(refused(R"({"x-extra":{"items":[{},3]},"items":{"$ref":"#/x-extra"}})",
                      "not a valid JSON Schema at '#/x-extra/items"));
  // A valid schema under an unknown keyword may be referred to.
  EXPECT_EQ(problemOf(R"({"x-extra":{"type":"string"},"properties":{"a":{"$ref":"#/x-extra"}}})"),
            "");
}

// Schemas that apply to the same value in a cycle make RapidJSON recurse until the stack
// overflows: at construction for a chain of bare $refs ({"$ref":"#"}, found by the schema fuzz
// target), at validation through the combinators.
TEST(SchemaSafety, SameValueCyclesAreRefused) {
  for (const char* schema : {
           R"({"$ref":"#"})",
           R"({"anyOf":[{"$ref":"#"}]})",
           R"({"allOf":[{"$ref":"#"}]})",
           R"({"oneOf":[{"$ref":"#"},{"type":"string"}]})",
           R"({"not":{"$ref":"#"}})",
           R"({"dependencies":{"a":{"$ref":"#"}}})",
           R"({"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},
               "properties":{"x":{"$ref":"#/definitions/a"}}})",
           R"({"$defs":{"a":{"anyOf":[{"type":"null"},{"$ref":"#/$defs/a"}]}},
               "properties":{"x":{"$ref":"#/$defs/a"}}})",
       }) {
    EXPECT_TRUE(refused(schema, "leads back to itself without descending into the value"))
        << schema;
  }
}

std::string chainOfDefinitions(int length, const char* keyword, int fanOut) {
  std::string json = R"({"definitions":{)";
  for (int i = 0; i < length; ++i) {
    json += "\"d" + std::to_string(i) + "\":{\"" + keyword + "\":[";
    for (int k = 0; k < fanOut; ++k) {
      if (k > 0) json += ',';
      json += i + 1 < length ? R"({"$ref":"#/definitions/d)" + std::to_string(i + 1) + "\"}"
                             : std::string(R"({"type":"string"})");
    }
    json += "]},";
  }
  json += R"("end":{}},"$ref":"#/definitions/d0"})";
  return json;
}

TEST(SchemaSafety, TooManySchemasOnOneValueAreRefused) {
  // 70 definitions deep: 140 schemas stacked on one value.
  EXPECT_TRUE(refused(chainOfDefinitions(70, "allOf", 1), "stacks more than 128 schemas"));
  // anyOf of two references to the next definition, 16 deep: 2^16 validators for one value.
  EXPECT_TRUE(refused(chainOfDefinitions(16, "anyOf", 2), "applies more than 4096 schemas"));
}

TEST(SchemaSafety, RecursiveSchemasAndOrdinaryReferencesAreKept) {
  EXPECT_EQ(problemOf(R"({"type":"object","properties":{"child":{"$ref":"#"}}})"), "");
  EXPECT_EQ(problemOf(R"({"type":"array","items":{"anyOf":[{"type":"string"},{"$ref":"#"}]}})"),
            "");
  EXPECT_EQ(problemOf(R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"type":"string"}},
      "properties":{"x":{"$ref":"#/$defs/a"},"y":{"$ref":"#/$defs/a"}}})"),
            "");
  EXPECT_EQ(problemOf(R"({"properties":{"x":{"$ref":"#/definitions/missing"}}})"), "");
  EXPECT_EQ(problemOf(chainOfDefinitions(20, "allOf", 1)), "");
  EXPECT_EQ(problemOf(chainOfDefinitions(8, "anyOf", 2)), "");
}

}  // namespace
}  // namespace agent::bitrouter
