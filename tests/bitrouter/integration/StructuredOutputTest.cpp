// responseSchema calls: the two request shapes (json_object, strict json_schema), and what the
// plugin does with the reply (un-fence, parse, validate against the schema, compact).
#include <string>

#include "IntegrationSupport.hpp"

namespace agent::bitrouter::integration {
namespace {

constexpr std::string_view kMessageSchema =
    R"({"type":"object","properties":{"message":{"type":"string"}},"required":["message"],
        "additionalProperties":false})";

class StructuredOutputTest : public BitRouterIntegrationTest {
 protected:
  static GenerateTextParams structured(std::string prompt, std::string_view schema) {
    GenerateTextParams params = withPrompt(std::move(prompt));
    params.responseSchema = std::string(schema);
    return params;
  }

  // One structured call whose reply content is scripted; returns the result.
  ModelResult replyWith(std::string content, std::string_view schema) {
    standin().script({.content = std::move(content)});
    return call(ModelType::TextLarge, structured("Give me JSON", schema));
  }

  // A schema refused up front: BadRequest saying all of `says`, and nothing sent.
  void expectRefused(std::string_view schema, std::initializer_list<std::string_view> says) {
    const std::size_t before = standin().chatRequestCount();
    const ModelResult result = call(ModelType::TextSmall, structured("hi", schema));
    ASSERT_FALSE(result.ok()) << describe(result);
    EXPECT_EQ(result.error().kind, ErrorKind::BadRequest) << describe(result);
    for (const std::string_view text : says) {
      EXPECT_TRUE(contains(result.error().message, text))
          << "'" << text << "' missing from: " << result.error().message;
    }
    EXPECT_EQ(standin().chatRequestCount(), before) << "a refused schema was sent";
  }

  void expectAccepted(std::string content, std::string_view schema) {
    const ModelResult result = replyWith(content, schema);
    ASSERT_TRUE(result.ok()) << content << ": " << describe(result);
  }

  void expectBadResponse(const ModelResult& result, std::initializer_list<std::string_view> says) {
    ASSERT_FALSE(result.ok()) << describe(result);
    EXPECT_EQ(result.error().kind, ErrorKind::BadResponse) << describe(result);
    for (const std::string_view text : says) {
      EXPECT_TRUE(contains(result.error().message, text))
          << "'" << text << "' missing from: " << result.error().message;
    }
  }
};

TEST_F(StructuredOutputTest, JsonObjectModeForwardsTheOtherParamsAndReturnsCompactJson) {
  makeHost();
  GenerateTextParams params = structured("Say hello", kMessageSchema);
  params.system = "Answer in JSON.";
  params.temperature = 0.3;
  params.maxTokens = 100;
  params.seed = 5;
  const ModelResult result = call(ModelType::TextLarge, params);
  ASSERT_TRUE(result.ok()) << describe(result);

  const rapidjson::Document body = lastChatBody();
  const rapidjson::Document expected = parseJson(R"({"model":"gpt-4o","max_tokens":100,
      "temperature":0.3,"response_format":{"type":"json_object"},"seed":5,
      "messages":[{"role":"system","content":"Answer in JSON."},
                  {"role":"user","content":"Say hello"}]})");
  EXPECT_TRUE(body == expected) << toJson(body);
  // The stand-in answers json_object requests with {"message": <its reply>}.
  EXPECT_EQ(result.output().text, R"({"message":"Stand-in reply from gpt-4o: Say hello"})");
}

TEST_F(StructuredOutputTest, StrictModeSendsTheSchemaVerbatim) {
  for (const std::string flag : {"true", " YES ", "1", "on"}) {
    SCOPED_TRACE(flag);
    standin().resetRecords();
    makeHost({{"BITROUTER_STRUCTURED_OUTPUTS", flag}});
    GenerateTextParams params = structured("Say hello", kMessageSchema);
    params.temperature = 0.2;
    params.stopSequences = std::vector<std::string>{"END"};
    const ModelResult result = call(ModelType::TextSmall, params);
    ASSERT_TRUE(result.ok()) << describe(result);

    const rapidjson::Document body = lastChatBody();
    const std::string expected = R"({"model":"gpt-4o-mini","temperature":0.2,
        "response_format":{"type":"json_schema","json_schema":{"name":"response","strict":true,
        "schema":)" + std::string(kMessageSchema) +
                                 R"(}},"stop":["END"],
        "messages":[{"role":"user","content":"Say hello"}]})";
    EXPECT_TRUE(body == parseJson(expected)) << toJson(body);
    EXPECT_EQ(result.output().text, R"({"message":"Stand-in reply from gpt-4o-mini: Say hello"})");
  }
}

TEST_F(StructuredOutputTest, OtherFlagValuesMeanJsonObject) {
  for (const std::string flag : {"off", "false", "0", ""}) {
    standin().resetRecords();
    makeHost({{"BITROUTER_STRUCTURED_OUTPUTS", flag}});
    ASSERT_TRUE(call(ModelType::TextSmall, structured("hi", kMessageSchema)).ok());
    EXPECT_EQ(toJson(lastChatBody()["response_format"]), R"({"type":"json_object"})") << flag;
  }
}

TEST_F(StructuredOutputTest, FencedReplyIsAcceptedAndReturnedCompact) {
  makeHost();
  const ModelResult result =
      replyWith("```json\n{\n  \"message\" : \"hi there\"\n}\n```\n", kMessageSchema);
  ASSERT_TRUE(result.ok()) << describe(result);
  EXPECT_EQ(result.output().text, R"({"message":"hi there"})");

  const ModelResult bare = replyWith("```\n{\"message\":\"plain fence\"}\n```", kMessageSchema);
  ASSERT_TRUE(bare.ok()) << describe(bare);
  EXPECT_EQ(bare.output().text, R"({"message":"plain fence"})");
}

TEST_F(StructuredOutputTest, InvalidJsonIsABadResponseAndNotRetried) {
  makeHost();
  expectBadResponse(replyWith("Sure! Here is your JSON: {message: hi}", kMessageSchema),
                    {"not valid JSON"});
  EXPECT_EQ(standin().chatRequestCount(), 1u);
  EXPECT_TRUE(modelUsed().empty());
}

TEST_F(StructuredOutputTest, SchemaViolationNamesTheFailingLocation) {
  makeHost();
  // additionalProperties:false is checked (the first violation met is the one reported).
  expectBadResponse(replyWith(R"({"message":"hi","wrong":1})", kMessageSchema),
                    {"does not match responseSchema", "'#/wrong'", "additionalProperties"});
  constexpr std::string_view kOpenSchema =
      R"({"type":"object","properties":{"message":{"type":"string"}},"required":["message"]})";
  expectBadResponse(replyWith(R"({"wrong":1})", kOpenSchema),
                    {"does not match responseSchema", "'#'", "required", "'message'"});

  constexpr std::string_view kUserSchema = R"({"type":"object","required":["user"],
      "properties":{"user":{"type":"object","required":["name","age"],
        "properties":{"name":{"type":"string"},"age":{"type":"integer"}}}}})";
  expectBadResponse(replyWith(R"({"user":{"age":3}})", kUserSchema), {"#/user", "'name'"});
  expectBadResponse(replyWith(R"({"user":{"name":"Al","age":"three"}})", kUserSchema),
                    {"#/user/age", "type"});
  EXPECT_EQ(standin().chatRequestCount(), 4u);

  const ModelResult good = replyWith(R"({"user":{"name":"Al","age":3}})", kUserSchema);
  ASSERT_TRUE(good.ok()) << describe(good);
  EXPECT_EQ(good.output().text, R"({"user":{"name":"Al","age":3}})");
}

TEST_F(StructuredOutputTest, ConstIsReallyValidated) {
  makeHost();
  constexpr std::string_view kSchema = R"({"type":"object","required":["kind"],
      "properties":{"kind":{"const":"greeting"}}})";
  expectBadResponse(replyWith(R"({"kind":"farewell"})", kSchema), {"#/kind"});
  const ModelResult good = replyWith(R"({"kind":"greeting"})", kSchema);
  ASSERT_TRUE(good.ok()) << describe(good);
  EXPECT_EQ(good.output().text, R"({"kind":"greeting"})");
}

TEST_F(StructuredOutputTest, DefsReferencesAreReallyValidatedAndSentUnchanged) {
  makeHost({{"BITROUTER_STRUCTURED_OUTPUTS", "true"}});
  constexpr std::string_view kSchema = R"({"$defs":{"name":{"type":"string","minLength":2}},
      "type":"object","required":["name"],"properties":{"name":{"$ref":"#/$defs/name"}},
      "additionalProperties":false})";
  expectBadResponse(replyWith(R"({"name":"X"})", kSchema), {"#/name", "minLength"});
  expectBadResponse(replyWith(R"({"name":7})", kSchema), {"#/name"});
  const ModelResult good = replyWith(R"({"name":"Al"})", kSchema);
  ASSERT_TRUE(good.ok()) << describe(good);

  // Normalisation is for local validation only: BitRouter gets the caller's schema.
  const rapidjson::Document body = lastChatBody();
  EXPECT_TRUE(body["response_format"]["json_schema"]["schema"] == parseJson(kSchema))
      << toJson(body["response_format"]);
}

TEST_F(StructuredOutputTest, ArraySchemasWork) {
  makeHost();
  constexpr std::string_view kSchema = R"({"type":"array","items":{"type":"string"}})";
  const ModelResult good = replyWith(R"([ "a", "b" ])", kSchema);
  ASSERT_TRUE(good.ok()) << describe(good);
  EXPECT_EQ(good.output().text, R"(["a","b"])");
  expectBadResponse(replyWith(R"(["a", 2])", kSchema), {"#/1"});
}

TEST_F(StructuredOutputTest, AnInvalidSchemaIsRefusedBeforeAnyRequest) {
  makeHost();
  for (const std::string_view schema :
       {std::string_view("{not json"), std::string_view(R"({"type":"no-such-type"})")}) {
    const ModelResult result = call(ModelType::TextSmall, structured("hi", schema));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::BadRequest) << describe(result);
    EXPECT_TRUE(contains(result.error().message, "responseSchema")) << result.error().message;
  }
  EXPECT_EQ(standin().chatRequestCount(), 0u);
}

// Keywords RapidJSON 1.1 does not know were ignored: replies breaking them passed as valid.
TEST_F(StructuredOutputTest, ContainsIsEnforced) {
  makeHost();
  constexpr std::string_view kSchema = R"({"type":"object","required":["tags"],
      "properties":{"tags":{"type":"array","contains":{"const":"urgent"}}}})";
  expectBadResponse(replyWith(R"({"tags":["late","big"]})", kSchema), {"#/tags"});
  expectBadResponse(replyWith(R"({"tags":[]})", kSchema), {"#/tags"});
  expectAccepted(R"({"tags":["late","urgent"]})", kSchema);
}

TEST_F(StructuredOutputTest, IfThenElseIsEnforced) {
  makeHost();
  constexpr std::string_view kSchema = R"({"type":"object",
      "properties":{"kind":{"type":"string"},"count":{"type":"integer"}},
      "if":{"properties":{"kind":{"const":"many"}}},
      "then":{"required":["count"]},"else":{"not":{"required":["count"]}}})";
  expectBadResponse(replyWith(R"({"kind":"many"})", kSchema), {"does not match responseSchema"});
  expectBadResponse(replyWith(R"({"kind":"one","count":1})", kSchema),
                    {"does not match responseSchema"});
  expectAccepted(R"({"kind":"many","count":3})", kSchema);
  expectAccepted(R"({"kind":"one"})", kSchema);
}

TEST_F(StructuredOutputTest, PropertyNamesAreEnforcedOrRefused) {
  makeHost();
  constexpr std::string_view kSchema =
      R"({"type":"object","propertyNames":{"pattern":"^[a-z]+$","maxLength":5}})";
  // Reported where the rewrite put the check: the object's allOf.
  expectBadResponse(replyWith(R"({"good":1,"Bad":2})", kSchema), {"'#'", "allOf"});
  expectBadResponse(replyWith(R"({"toolong":1})", kSchema), {"'#'", "allOf"});
  expectAccepted(R"({"good":1,"fine":2})", kSchema);
  // What patternProperties cannot say is refused, naming the keyword and where it is.
  expectRefused(R"({"properties":{"a":{"propertyNames":{"enum":["x"]}}}})",
                {"'enum'", "#/properties/a/propertyNames"});
}

TEST_F(StructuredOutputTest, KeywordsTheValidatorCannotEnforceAreRefusedBeforeSending) {
  makeHost();
  expectRefused(R"({"type":"object","unevaluatedProperties":false})",
                {"'unevaluatedProperties'", "'#/unevaluatedProperties'", "not enforced"});
  expectRefused(R"({"items":{"minContains":2}})", {"'minContains'", "'#/items/minContains'"});
  // Annotations pass.
  makeHost();
  expectAccepted(R"({"a":1})", R"({"title":"T","description":"d","examples":[{}],"$comment":"c",
      "x-vendor":{"anything":true},"properties":{"a":{"default":1,"format":"int32"}}})");
}

// {"^á":{}} beside additionalProperties:false crashed the host (RapidJSON left a matched name
// without a schema); the non-ASCII pattern itself is fine.
TEST_F(StructuredOutputTest, NonAsciiPatternPropertiesValidateWithoutCrashing) {
  makeHost();
  constexpr std::string_view kSchema =
      R"({"patternProperties":{"^á":{}},"additionalProperties":false})";
  expectAccepted(R"({"ármányos":2})", kSchema);
  expectBadResponse(replyWith(R"({"ármányos":2,"other":1})", kSchema),
                    {"#/other", "additionalProperties"});
  constexpr std::string_view kTyped =
      R"({"patternProperties":{"^á":{"type":"string"}},"additionalProperties":{"type":"integer"}})";
  expectBadResponse(replyWith(R"({"ármányos":2})", kTyped), {"does not match responseSchema"});
  expectAccepted(R"({"ármányos":"x","b":3})", kTyped);
  expectBadResponse(replyWith(R"({"b":"x"})", kTyped), {"does not match responseSchema"});
}

// Strict json_schema needs additionalProperties:false and every property required on every
// object; the plugin says which object breaks that instead of sending it to a 400.
TEST_F(StructuredOutputTest, StrictModeNamesTheObjectThatCannotBeSentStrictly) {
  makeHost({{"BITROUTER_STRUCTURED_OUTPUTS", "true"}});
  expectRefused(R"({"type":"object","properties":{"a":{"type":"string"}},"required":["a"]})",
                {"'#'", "additionalProperties"});
  expectRefused(R"({"type":"object","additionalProperties":false,"required":["user"],
      "properties":{"user":{"type":"object","additionalProperties":false,
        "properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name"]}}})",
                {"'#/properties/user'", "required", "'age'"});
  // The same schemas are fine without strict mode.
  makeHost();
  expectAccepted(R"({"a":"x"})",
                 R"({"type":"object","properties":{"a":{"type":"string"}},"required":["a"]})");
}

}  // namespace
}  // namespace agent::bitrouter::integration
