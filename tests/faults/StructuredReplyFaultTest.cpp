// Structured-output calls (responseSchema) against replies and schemas that break RapidJSON 1.1.0,
// through the real host, plugin and stand-in: a hostile reply is a BadResponse, a schema the
// validator cannot run safely is a BadRequest before any request, and numbers keep their value.
#include <rapidjson/document.h>

#include "FaultSupport.hpp"

namespace agent::faults {
namespace {

class StructuredReplyFaultTest : public FaultTest {
 protected:
  TimedResult callWithSchema(std::string schema) {
    if (!host_) host_ = &makeHost();
    GenerateTextParams params = withPrompt("structured");
    params.responseSchema = std::move(schema);
    const auto started = Clock::now();
    TimedResult timed{
        host_->runtime().useModel(ModelType::TextSmall, std::move(params)), milliseconds(0), 0, {}};
    timed.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    return timed;
  }

  host::AgentHost* host_ = nullptr;
};

// RapidJSON's full-precision number parser mishandles a zero mantissa with a large exponent
// (0e93 came back as 6.237000967296e290; UBSan: "passing zero to clz()").
TEST_F(StructuredReplyFaultTest, ZeroWithAHugeExponentStaysZero) {
  standin().script({.content = R"({"a":0e93,"b":0.0e-999,"c":0E+300})"});
  const TimedResult timed = callWithSchema(R"({"type":"object"})");
  ASSERT_TRUE(timed.result.ok()) << describe(timed.result);
  expectCleanEnd(timed);
  rapidjson::Document reply;
  reply.Parse(timed.result.output().text.c_str());
  ASSERT_TRUE(reply.IsObject()) << timed.result.output().text;
  for (const char* key : {"a", "b", "c"}) {
    ASSERT_TRUE(reply.HasMember(key) && reply[key].IsNumber()) << timed.result.output().text;
    EXPECT_EQ(reply[key].GetDouble(), 0.0) << key << " in " << timed.result.output().text;
  }
}

// A violation reported at a key whose UTF-8 is cut makes RapidJSON's Pointer::StringifyUriFragment
// read past the key (AddressSanitizer: heap-buffer-overflow).
TEST_F(StructuredReplyFaultTest, ViolationAtAKeyWithCutUtf8IsABadResponse) {
  standin().script({.content = "{\"name\xe6\":3}"});
  const TimedResult timed =
      callWithSchema(R"({"type":"object","properties":{"name":{"type":"string"}},)"
                     R"("additionalProperties":false})");
  ASSERT_FALSE(timed.result.ok());
  expectCleanEnd(timed, {ErrorKind::BadResponse});
}

// A reply nested 22 deep against a schema whose two branches both descend: RapidJSON's
// validators double at each level (4 million here). The call ends with a clear error at once,
// and the host goes on serving.
TEST_F(StructuredReplyFaultTest, ValidationThatMultipliesWithDepthEndsQuickly) {
  standin().script({.content = std::string(22, '[') + std::string(22, ']')});
  const TimedResult timed =
      callWithSchema(R"({"anyOf":[{"items":{"$ref":"#"}},{"items":{"$ref":"#"}}]})");
  ASSERT_FALSE(timed.result.ok());
  expectCleanEnd(timed, {ErrorKind::BadResponse});
  EXPECT_LT(timed.elapsed, milliseconds(2000) + deadlineSlack());
  standin().script({.content = "[[],[[]]]"});
  const TimedResult next =
      callWithSchema(R"({"anyOf":[{"items":{"$ref":"#"}},{"items":{"$ref":"#"}}]})");
  EXPECT_TRUE(next.result.ok()) << describe(next.result);
}

// Schemas RapidJSON would build or run forever: refused before any request is sent.
TEST_F(StructuredReplyFaultTest, SchemasThatLoopAreRefusedUpFront) {
  for (const char* schema :
       {R"({"$ref":"#"})", R"({"anyOf":[{"$ref":"#"}]})",
        R"({"properties":{"a":{"$ref":"#/properties"}},"x":{"$ref":"#/x"}})"}) {
    standin().resetRecords();
    const TimedResult timed = callWithSchema(schema);
    ASSERT_FALSE(timed.result.ok()) << schema;
    expectCleanEnd(timed, {ErrorKind::BadRequest});
    EXPECT_EQ(standin().chatRequestCount(), 0u) << schema;
  }
}

// Patterns RapidJSON's regex engine recurses on without end (a stack overflow when a reply is
// validated) or asserts on: refused as the caller's mistake, before any request is sent.
TEST_F(StructuredReplyFaultTest, PatternsTheValidatorCannotRunAreRefusedUpFront) {
  for (const char* pattern : {"a**", "(a*)*", "(a?)+", "((a*)*)*", "(a", "a)"}) {
    standin().resetRecords();
    standin().script({.content = R"({"code":"aaaa"})"});
    const TimedResult timed = callWithSchema(
        std::string(R"({"type":"object","properties":{"code":{"type":"string","pattern":")") +
        pattern + R"("}}})");
    ASSERT_FALSE(timed.result.ok()) << "pattern " << pattern;
    expectCleanEnd(timed, {ErrorKind::BadRequest});
    EXPECT_EQ(standin().chatRequestCount(), 0u) << "pattern " << pattern;
    standin().clearScripts();
  }
}

}  // namespace
}  // namespace agent::faults
