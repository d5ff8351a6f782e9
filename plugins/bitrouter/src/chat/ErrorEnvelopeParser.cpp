#include "chat/ErrorEnvelopeParser.hpp"

#include "agent/support/Text.hpp"
#include "errors/TextExcerpt.hpp"

namespace agent::bitrouter {
namespace {

// Redact before cutting, so truncation can never leave half a key behind.
std::string cleanMessage(std::string_view text, const Redactor& redactor) {
  // And after: the excerpt removes markup, which must never assemble a key either.
  return redactor.apply(textExcerpt(redactor.apply(text), ErrorEnvelopeParser::kMaxMessageBytes));
}

std::string stringMember(const rapidjson::Value& object, const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return {};
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

// A member that is a number or a string of digits, as text ("" when neither).
std::string codeMember(const rapidjson::Value& object, const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd()) return {};
  if (member->value.IsString()) return {member->value.GetString(), member->value.GetStringLength()};
  if (member->value.IsInt64()) return std::to_string(member->value.GetInt64());
  return {};
}

// An HTTP status in 100..599, or 0.
int statusFrom(std::string_view text) {
  const auto number = text::parseInt64(text::trim(text));
  return number && *number >= 100 && *number <= 599 ? static_cast<int>(*number) : 0;
}

}  // namespace

ErrorEnvelope ErrorEnvelopeParser::fromErrorValue(const rapidjson::Value& error,
                                                  std::string_view rawBody,
                                                  const Redactor& redactor) {
  ErrorEnvelope envelope;
  envelope.envelope = true;
  if (error.IsString()) {
    envelope.message = cleanMessage({error.GetString(), error.GetStringLength()}, redactor);
    return envelope;
  }
  if (error.IsObject()) {
    envelope.type = cleanMessage(stringMember(error, "type"), redactor);
    envelope.code = cleanMessage(codeMember(error, "code"), redactor);
    for (const char* name : {"status_code", "status", "code"}) {
      if (envelope.status == 0) envelope.status = statusFrom(codeMember(error, name));
    }
    const std::string status = stringMember(error, "status");
    if (statusFrom(status) == 0) envelope.statusWord = cleanMessage(status, redactor);
    const std::string message = stringMember(error, "message");
    if (!text::trim(message).empty()) {
      envelope.message = cleanMessage(message, redactor);
      return envelope;
    }
  }
  envelope.message = cleanMessage(rawBody, redactor);
  return envelope;
}

ErrorEnvelope ErrorEnvelopeParser::parse(std::string_view body, const Redactor& redactor) {
  const std::string_view trimmed = text::trim(body);
  if (trimmed.empty()) return {};
  if (trimmed.front() == '{') {
    rapidjson::Document document;
    document.Parse<rapidjson::kParseIterativeFlag>(trimmed.data(), trimmed.size());
    if (!document.HasParseError() && document.IsObject()) {
      const auto error = document.FindMember("error");
      if (error != document.MemberEnd()) return fromErrorValue(error->value, trimmed, redactor);
      // Not BitRouter's envelope (e.g. a 422 {"detail": ...}): some servers put a top-level
      // message; otherwise show the body itself.
      ErrorEnvelope envelope;
      const std::string message = stringMember(document, "message");
      envelope.message = cleanMessage(text::trim(message).empty() ? trimmed : message, redactor);
      return envelope;
    }
  }
  ErrorEnvelope envelope;
  envelope.message = cleanMessage(trimmed, redactor);
  return envelope;
}

}  // namespace agent::bitrouter
