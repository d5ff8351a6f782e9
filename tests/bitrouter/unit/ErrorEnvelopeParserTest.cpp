#include "chat/ErrorEnvelopeParser.hpp"

#include <gtest/gtest.h>

namespace agent::bitrouter {
namespace {

TEST(ErrorEnvelopeParser, BitRouterObjectEnvelope) {
  const ErrorEnvelope envelope = ErrorEnvelopeParser::parse(
      R"({"error":{"message":"upstream rate limited","type":"rate_limit_error","code":"upstream_rate_limited"}})");
  EXPECT_TRUE(envelope.envelope);
  EXPECT_EQ(envelope.message, "upstream rate limited");
  EXPECT_EQ(envelope.type, "rate_limit_error");
  EXPECT_EQ(envelope.code, "upstream_rate_limited");
}

TEST(ErrorEnvelopeParser, ErrorAsAString) {
  const ErrorEnvelope envelope = ErrorEnvelopeParser::parse(R"({"error":"bad temperature"})");
  EXPECT_TRUE(envelope.envelope);
  EXPECT_EQ(envelope.message, "bad temperature");
  EXPECT_EQ(envelope.code, "");
}

TEST(ErrorEnvelopeParser, PassthroughObjectWithExtraFields) {
  const ErrorEnvelope envelope = ErrorEnvelopeParser::parse(
      R"({"error":{"message":"max_tokens rejected","param":"max_tokens","extra":{"deep":[1,2]}}})");
  EXPECT_EQ(envelope.message, "max_tokens rejected");
  EXPECT_EQ(envelope.type, "");
}

TEST(ErrorEnvelopeParser, ObjectWithoutMessageShowsTheBody) {
  const ErrorEnvelope envelope =
      ErrorEnvelopeParser::parse(R"({"error":{"detail":"nope","param":"x"}})");
  EXPECT_EQ(envelope.message, R"({"error":{"detail":"nope","param":"x"}})");
}

TEST(ErrorEnvelopeParser, NonEnvelopeJson) {
  EXPECT_EQ(ErrorEnvelopeParser::parse(R"({"detail":"Unprocessable"})").message,
            R"({"detail":"Unprocessable"})");
  EXPECT_EQ(ErrorEnvelopeParser::parse(R"({"message":"top-level"})").message, "top-level");
  EXPECT_FALSE(ErrorEnvelopeParser::parse(R"({"detail":"x"})").envelope);
}

TEST(ErrorEnvelopeParser, PlainText413And415) {
  EXPECT_EQ(ErrorEnvelopeParser::parse("Failed to buffer the request body: length limit exceeded")
                .message,
            "Failed to buffer the request body: length limit exceeded");
  EXPECT_EQ(
      ErrorEnvelopeParser::parse("Expected request with `Content-Type: application/json`").message,
      "Expected request with `Content-Type: application/json`");
}

TEST(ErrorEnvelopeParser, EmptyBody) {
  const ErrorEnvelope envelope = ErrorEnvelopeParser::parse("");
  EXPECT_EQ(envelope.message, "");
  EXPECT_FALSE(envelope.envelope);
  EXPECT_EQ(ErrorEnvelopeParser::parse(" \r\n").message, "");
}

TEST(ErrorEnvelopeParser, HtmlBodyBecomesItsTitle) {
  EXPECT_EQ(ErrorEnvelopeParser::parse(
                "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
                "<body><h1>502 Bad Gateway</h1><hr>nginx</body></html>")
                .message,
            "502 Bad Gateway");
  EXPECT_EQ(
      ErrorEnvelopeParser::parse("<html><body><h1>Oops</h1>\n<p>went\twrong</p></body></html>")
          .message,
      "Oops went wrong");
}

TEST(ErrorEnvelopeParser, LongAndMultiLineBodiesBecomeOneShortLine) {
  const std::string body = "line one\nline two\r\n" + std::string(2000, 'x');
  const std::string message = ErrorEnvelopeParser::parse(body).message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_EQ(message.find('\r'), std::string::npos);
  EXPECT_LE(message.size(), ErrorEnvelopeParser::kMaxMessageBytes + 3);
  EXPECT_EQ(message.substr(0, 18), "line one line two ");
  EXPECT_EQ(message.substr(message.size() - 3), "...");
}

TEST(ErrorEnvelopeParser, KeyIsScrubbedFromEchoedText) {
  const Redactor redactor("brvk_supersecretkey123");
  const ErrorEnvelope a = ErrorEnvelopeParser::parse(
      R"({"error":{"message":"bad key brvk_supersecretkey123 given"}})", redactor);
  EXPECT_EQ(a.message, "bad key [redacted] given");
  const ErrorEnvelope b = ErrorEnvelopeParser::parse(
      "Authorization: Bearer brvk_supersecretkey123 was refused", redactor);
  EXPECT_EQ(b.message.find("supersecret"), std::string::npos);
  // Redacted before truncation: a key straddling the cut leaves no prefix behind.
  const std::string padded = std::string(290, 'a') + " brvk_supersecretkey123";
  const ErrorEnvelope c = ErrorEnvelopeParser::parse(padded, redactor);
  EXPECT_EQ(c.message.find("brvk_sup"), std::string::npos);
}

}  // namespace
}  // namespace agent::bitrouter
