#include "schema/StructuredOutput.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

std::shared_ptr<const CompiledSchema> compile(const char* json) {
  auto compiled = CompiledSchema::compile(json);
  EXPECT_TRUE(compiled.ok()) << (compiled.ok() ? "" : compiled.error().message);
  return compiled.ok() ? compiled.value() : nullptr;
}

std::string validOrError(std::string_view reply, const CompiledSchema& schema) {
  auto result = StructuredOutput::validate(reply, schema);
  return result.ok() ? result.value() : "ERROR: " + result.error().message;
}

TEST(StructuredOutput, FenceStripping) {
  EXPECT_EQ(StructuredOutput::stripFence(R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(StructuredOutput::stripFence("  {\"a\":1}\n"), R"({"a":1})");
  EXPECT_EQ(StructuredOutput::stripFence("```json\n{\"a\":1}\n```"), R"({"a":1})");
  EXPECT_EQ(StructuredOutput::stripFence("```JSON\r\n{\"a\":1}\r\n```\r\n"), R"({"a":1})");
  EXPECT_EQ(StructuredOutput::stripFence("```\n[1,2]\n```"), "[1,2]");
  EXPECT_EQ(StructuredOutput::stripFence("```json {\"a\":1}```"), R"({"a":1})");
  EXPECT_EQ(StructuredOutput::stripFence("\n\n```json\n{\"a\":1}\n"), R"({"a":1})");  // unclosed
  EXPECT_EQ(StructuredOutput::stripFence("Here you go:\n```json\n{\"a\":1}\n```\nEnjoy!"),
            R"({"a":1})");
}

TEST(StructuredOutput, ValidReplyBecomesCompactJson) {
  auto schema = compile(R"({"type":"object","properties":{"message":{"type":"string"},
      "n":{"type":"number"}},"required":["message"]})");
  EXPECT_EQ(validOrError("```json\n{ \"message\" : \"hi\",\n  \"n\": 0.1 }\n```", *schema),
            R"({"message":"hi","n":0.1})");
}

TEST(StructuredOutput, ArraySchemasWork) {
  auto schema = compile(R"({"type":"array","items":{"type":"string"}})");
  EXPECT_EQ(validOrError(R"([ "a", "b" ])", *schema), R"(["a","b"])");
}

TEST(StructuredOutput, SchemaMismatchIsAnErrorNotASuccess) {
  // The TypeScript original returned {"wrong":1} as a success here.
  auto schema = compile(R"({"type":"object","properties":{"message":{"type":"string"}},
      "required":["message"]})");
  EXPECT_EQ(validOrError(R"({"wrong":1})", *schema),
            "ERROR: BitRouter's reply does not match responseSchema at '#' (keyword 'required': "
            "missing 'message', schema '#')");
}

// The missing name comes from the caller's schema: quoted on one line whatever it holds.
TEST(StructuredOutput, AMissingNameWithControlCharactersStaysOnOneLine) {
  auto schema = compile(R"({"type":"object","required":["na\rme\n"]})");
  EXPECT_EQ(validOrError("{}", *schema),
            "ERROR: BitRouter's reply does not match responseSchema at '#' (keyword 'required': "
            "missing 'na me', schema '#')");
}

TEST(StructuredOutput, FirstFailingLocationIsNamed) {
  auto schema = compile(R"({"type":"object","properties":{"user":{"type":"object",
      "properties":{"age":{"type":"integer"}},"required":["name"]}},"additionalProperties":false})");
  EXPECT_EQ(validOrError(R"({"user":{"name":"x","age":"old"}})", *schema),
            "ERROR: BitRouter's reply does not match responseSchema at '#/user/age' (keyword "
            "'type', schema '#/properties/user/properties/age')");
  EXPECT_EQ(validOrError(R"({"user":{"age":3}})", *schema),
            "ERROR: BitRouter's reply does not match responseSchema at '#/user' (keyword "
            "'required': missing 'name', schema '#/properties/user')");
  EXPECT_EQ(validOrError(R"({"user":{"name":"x"},"extra":1})", *schema),
            "ERROR: BitRouter's reply does not match responseSchema at '#/extra' (keyword "
            "'additionalProperties', schema '#')");
}

TEST(StructuredOutput, ConstIsReallyEnforced) {
  auto schema = compile(R"({"type":"object","properties":{"kind":{"const":"greeting"}}})");
  EXPECT_EQ(validOrError(R"({"kind":"greeting"})", *schema), R"({"kind":"greeting"})");
  EXPECT_NE(validOrError(R"({"kind":"farewell"})", *schema).find("at '#/kind' (keyword 'enum'"),
            std::string::npos);
}

TEST(StructuredOutput, DefsRefsAreReallyEnforced) {
  auto schema = compile(R"({"type":"object","properties":{"item":{"$ref":"#/$defs/Item"}},
      "$defs":{"Item":{"type":"object","properties":{"qty":{"type":"integer"}},"required":["qty"]}}})");
  EXPECT_EQ(validOrError(R"({"item":{"qty":2}})", *schema), R"({"item":{"qty":2}})");
  EXPECT_NE(validOrError(R"({"item":{"qty":"two"}})", *schema).find("at '#/item/qty'"),
            std::string::npos);
  EXPECT_NE(validOrError(R"({"item":{}})", *schema).find("missing 'qty'"), std::string::npos);
}

TEST(StructuredOutput, FormatIsNotValidated) {
  auto schema = compile(R"({"type":"string","format":"date-time"})");
  EXPECT_EQ(validOrError(R"("not a date")", *schema), R"("not a date")");
}

TEST(StructuredOutput, InvalidJsonIsAnError) {
  auto schema = compile(R"({"type":"object"})");
  EXPECT_NE(validOrError("Sure! Here is the answer.", *schema).find("is not valid JSON"),
            std::string::npos);
  EXPECT_NE(validOrError(R"({"a":1} trailing)", *schema).find("is not valid JSON"),
            std::string::npos);
  EXPECT_NE(validOrError(R"({"a":)", *schema).find("is not valid JSON"), std::string::npos);
  EXPECT_NE(validOrError("", *schema).find("empty"), std::string::npos);
  EXPECT_NE(validOrError("```json\n```", *schema).find("empty"), std::string::npos);
}

TEST(StructuredOutput, DeeplyNestedReplyIsRefusedQuickly) {
  auto schema = compile(R"({})");
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto start = std::chrono::steady_clock::now();
  auto result = StructuredOutput::validate(deep, *schema);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("nests deeper than 128 levels"), std::string::npos);
  const std::string fine = std::string(100, '[') + std::string(100, ']');
  EXPECT_TRUE(StructuredOutput::validate(fine, *schema).ok());
}

// Numbers are validated by their exact value and copied out as the model wrote them.
TEST(StructuredOutput, NumbersKeepTheirTextAndValue) {
  auto schema = compile(R"({"type":"object","properties":{"n":{"type":"number","minimum":0},
      "i":{"type":"integer"}}})");
  EXPECT_EQ(validOrError(R"({"n": 0e93, "i": 18446744073709551615})", *schema),
            R"({"n":0e93,"i":18446744073709551615})");
  EXPECT_EQ(validOrError(R"({"n": 1e400000000000000000000})", *schema).substr(0, 48),
            "ERROR: BitRouter's reply is not valid JSON (Numb");
  EXPECT_EQ(validOrError(R"({"n":1.10,"i":-0})", *schema), R"({"n":1.10,"i":-0})");
  EXPECT_NE(validOrError(R"({"n":-0.5e-1})", *schema).find("keyword 'minimum'"), std::string::npos);
  // A zero fraction is an integer (drafts 6+); any other fraction is not.
  EXPECT_EQ(validOrError(R"({"i":1.0})", *schema), R"({"i":1.0})");
  // (integer is checked as number + multipleOf 1, see SchemaNormalizer)
  EXPECT_NE(validOrError(R"({"i":1.5})", *schema).find("keyword 'multipleOf'"), std::string::npos);
  // RapidJSON's reader lets this one through (as infinity).
  EXPECT_EQ(validOrError(R"({"n":1.7976931348623159e308})", *schema),
            "ERROR: BitRouter's reply has a number too large for a double at offset 5");
}

TEST(StructuredOutput, ViolationAtAKeyWithCutUtf8IsNamedSafely) {
  auto schema = compile(R"({"type":"object","additionalProperties":false})");
  EXPECT_EQ(validOrError("{\"name\xe6\":3}", *schema),
            "ERROR: BitRouter's reply does not match responseSchema at '#/name%E6' (keyword "
            "'additionalProperties', schema '#')");
}

// Both anyOf branches descend into every array, so RapidJSON's validators double at each level:
// 2^22 of them here, minutes and gigabytes without the cap.
TEST(StructuredOutput, ValidationThatMultipliesWithDepthIsCutShort) {
  auto schema = compile(R"({"anyOf":[{"items":{"$ref":"#"}},{"items":{"$ref":"#"}}]})");
  const std::string deep = std::string(22, '[') + std::string(22, ']');
  const auto start = std::chrono::steady_clock::now();
  const std::string outcome = validOrError(deep, *schema);
  // It takes minutes without the cap; a bound for sanitizer builds, not a speed target.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_NE(outcome.find("ERROR: validating BitRouter's reply against responseSchema needs more "
                         "than 32 MiB"),
            std::string::npos)
      << outcome;
  // Shallow replies against the same schema are fine.
  EXPECT_EQ(validOrError("[[[]],[]]", *schema), "[[[]],[]]");
}

// RapidJSON keeps both members of a repeated name, and its validator then left one slot of
// "dependencies" unset and read it (undefined behaviour, found by the schema fuzz target).
TEST(StructuredOutput, ASchemaThatRepeatsANameIsRefusedWithWhere) {
  const auto compiled = CompiledSchema::compile(
      R"({"dependencies":{"a":{"minProperties":0},"a":{"maxProperties":0}}})");
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.error().kind, ErrorKind::BadRequest);
  EXPECT_NE(compiled.error().message.find("'#/dependencies/a' twice"), std::string::npos)
      << compiled.error().message;
  EXPECT_FALSE(CompiledSchema::compile(R"({"type":"object","type":"array"})").ok());
  // The same name in two objects is fine.
  EXPECT_TRUE(CompiledSchema::compile(R"({"properties":{"a":{"properties":{"a":{}}}}})").ok());
}

// The cap is on what validation holds at once, not on what it has done: a long reply whose every
// item goes through the branches is fine.
TEST(StructuredOutput, LongRepliesStayWithinTheCap) {
  auto schema = compile(R"({"type":"array","items":{"anyOf":[{"type":"string"},
      {"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}]}})");
  std::string reply = "[";
  for (int i = 0; i < 200000; ++i)
    reply += i % 2 == 0 ? R"("s",)" : R"({"n":1},)";
  reply.back() = ']';
  EXPECT_EQ(validOrError(reply, *schema).substr(0, 12), R"(["s",{"n":1})");
}

TEST(CompiledSchema, InvalidSchemasAreBadRequests) {
  auto expectBad = [](const char* json, const char* fragment) {
    auto compiled = CompiledSchema::compile(json);
    ASSERT_FALSE(compiled.ok()) << json;
    EXPECT_EQ(compiled.error().kind, ErrorKind::BadRequest);
    EXPECT_NE(compiled.error().message.find(fragment), std::string::npos)
        << compiled.error().message;
  };
  expectBad(R"({"type":)", "responseSchema is not valid JSON");
  expectBad(R"([1,2])", "must be a JSON object");
  expectBad(R"("string")", "must be a JSON object");
  expectBad(R"({"type":"strin"})", "not a valid JSON Schema at '#/type'");
  expectBad(R"({"properties":{"a":{"type":"object","required":"a"}}})",
            "not a valid JSON Schema at '#/properties/a/required'");
  expectBad(R"({"minLength":-1})", "at '#/minLength'");
  expectBad(R"({"properties":{"a":{"$ref":"#/$defs/missing"}}})", "does not resolve");
  expectBad(R"({"$ref":"other.json#/x"})", "is not local");
  expectBad(R"({"maximum":1.7976931348623159e308})", "number too large for a double at offset 11");
  // RapidJSON compiles the pattern of every object, and a $ref can reach any of them.
  expectBad(R"({"x-extra":{"pattern":"(a"}})", "the pattern at #/x-extra/pattern");
  expectBad(R"({"enum":[{"pattern":"a**"}]})", "the pattern at #/enum/0/pattern");
  std::string deep = std::string(200, '[');
  deep = "{\"default\":" + deep + std::string(200, ']') + "}";
  expectBad(deep.c_str(), "nests deeper");
}

TEST(CompiledSchema, ModernSchemasAreAccepted) {
  EXPECT_TRUE(CompiledSchema::compile(
                  R"({"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
      "properties":{"tags":{"type":["array","null"],"items":{"type":"string"}},
      "kind":{"const":"x"},"when":{"type":"string","format":"date"},
      "score":{"type":"number","exclusiveMinimum":0}},
      "required":[],"additionalProperties":false,"$defs":{"unused":{"type":"string"}}})")
                  .ok());
}

TEST(CompiledSchema, CompactJsonIsTheCallersSchemaNotTheNormalisedCopy) {
  auto schema = compile(R"({ "properties": { "k": { "const": "v" } } })");
  EXPECT_EQ(schema->compactJson(), R"({"properties":{"k":{"const":"v"}}})");
}

}  // namespace
}  // namespace agent::bitrouter

namespace agent::bitrouter {
namespace {

// RapidJSON 1.1 left a name matched by a pattern, but not in properties, without a schema beside
// additionalProperties:false: a crash, whatever the pattern's characters (issue 13).
TEST(ValidateJson, PatternMatchBesideAdditionalPropertiesFalse) {
  for (const char* schema : {R"({"patternProperties":{"^á":{}},"additionalProperties":false})",
                             R"({"patternProperties":{"^a":{}},"additionalProperties":false})"}) {
    const bool accented = std::string_view(schema).find("á") != std::string_view::npos;
    const std::string name = accented ? "ármányos" : "ab";
    EXPECT_TRUE(validateJson(schema, "{\"" + name + "\":2}").ok()) << schema;
    const auto other = validateJson(schema, "{\"" + name + "\":2,\"zz\":1}");
    ASSERT_FALSE(other.ok()) << schema;
    EXPECT_EQ(other.error().kind, ErrorKind::BadResponse);
  }
  const auto refused = validateJson(R"({"minContains":1})", "[]");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::BadRequest);
}

}  // namespace
}  // namespace agent::bitrouter
