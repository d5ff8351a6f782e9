#include "ChatCompletionHandler.hpp"

#include <algorithm>
#include <cctype>

#include <Poco/UUIDGenerator.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "ChatRequestParser.hpp"
#include "ErrorEnvelope.hpp"
#include "ResponseWriter.hpp"
#include "ScriptedReply.hpp"

namespace agent::standin {
namespace {

// axum's Json extractor accepts application/json and any application/*+json.
bool isJsonContentType(std::string_view value) {
  std::string essence(value.substr(0, value.find(';')));
  std::transform(essence.begin(), essence.end(), essence.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto first = essence.find_first_not_of(" \t");
  auto last = essence.find_last_not_of(" \t");
  if (first == std::string::npos) return false;
  essence = essence.substr(first, last - first + 1);
  if (essence == "application/json") return true;
  return essence.rfind("application/", 0) == 0 && essence.size() > 17 &&
         essence.compare(essence.size() - 5, 5, "+json") == 0;
}

// serde_json's wording for the common syntax errors (axum shows serde's message).
std::string_view serdeWording(rapidjson::ParseErrorCode code) {
  switch (code) {
    case rapidjson::kParseErrorDocumentEmpty:
      return "EOF while parsing a value";
    case rapidjson::kParseErrorDocumentRootNotSingular:
      return "trailing characters";
    case rapidjson::kParseErrorValueInvalid:
      return "expected value";
    case rapidjson::kParseErrorObjectMissName:
      return "key must be a string";
    case rapidjson::kParseErrorObjectMissColon:
      return "expected `:`";
    case rapidjson::kParseErrorObjectMissCommaOrCurlyBracket:
      return "expected `,` or `}`";
    case rapidjson::kParseErrorArrayMissCommaOrSquareBracket:
      return "expected `,` or `]`";
    case rapidjson::kParseErrorStringMissQuotationMark:
      return "EOF while parsing a string";
    default:
      return rapidjson::GetParseError_En(code);
  }
}

// axum's 400 for a body that is not JSON: "...: <serde message> at line L column C".
std::string jsonSyntaxError(const rapidjson::Document& document, std::string_view body) {
  const std::size_t offset = std::min(document.GetErrorOffset(), body.size());
  const std::string_view before = body.substr(0, offset);
  const std::size_t line =
      1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t lastNewline = before.rfind('\n');
  const std::size_t column =
      lastNewline == std::string_view::npos ? offset : offset - lastNewline - 1;
  return "Failed to parse the request body as JSON: " +
         std::string(serdeWording(document.GetParseError())) + " at line " + std::to_string(line) +
         " column " + std::to_string(column + 1);
}

// x-bitrouter-request-id must be non-empty visible text when present.
std::optional<std::string> checkRequestId(const HttpRequest& request) {
  if (!request.hasHeader("x-bitrouter-request-id")) return std::nullopt;
  const std::string& id = request.header("x-bitrouter-request-id");
  if (id.find_first_not_of(" \t") == std::string::npos) {
    return std::string("request id header must not be empty");
  }
  bool visible = std::all_of(id.begin(), id.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u != 0x7F;
  });
  if (!visible) return std::string("request id header is not valid text");
  return std::nullopt;
}

}  // namespace

ChatCompletionHandler::ChatCompletionHandler(StandinState& state)
    : state_(state), authenticator_(state.options()), resolver_(state.options()) {}

bool ChatCompletionHandler::handle(const HttpRequest& request, SocketChannel& channel) const {
  const bool keepAlive = request.keepAlive;
  auto reply = [&](const HttpResponse& response) {
    return ResponseWriter::write(channel, response, keepAlive);
  };

  if (!isJsonContentType(request.header("content-type"))) {
    return reply(
        HttpResponse::plainText(415, "Expected request with `Content-Type: application/json`"));
  }
  if (request.bodyTooLarge) {
    return reply(
        HttpResponse::plainText(413, "Failed to buffer the request body: length limit exceeded"));
  }
  rapidjson::Document document;
  document.Parse(request.body.data(), request.body.size());
  if (document.HasParseError()) {
    return reply(HttpResponse::plainText(400, jsonSyntaxError(document, request.body)));
  }
  if (auto denied = authenticator_.check(request)) {
    return reply(ErrorEnvelope::unauthorized(*denied));
  }
  if (auto invalid = checkRequestId(request)) return reply(ErrorEnvelope::badRequest(*invalid));

  ChatRequest chat;
  if (auto invalid = ChatRequestParser::parse(document, request.body, chat)) {
    return reply(ErrorEnvelope::badRequest(*invalid));
  }
  ModelResolver::Resolution resolution = resolver_.resolve(chat.model);
  if (resolution.status == 400) return reply(ErrorEnvelope::badRequest(resolution.error));
  if (resolution.status == 404) return reply(ErrorEnvelope::modelNotFound(resolution.model));

  std::string requestId = request.hasHeader("x-bitrouter-request-id")
                              ? request.header("x-bitrouter-request-id")
                              : Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  ReplyContext context{chat, std::move(resolution.model), std::move(requestId), keepAlive,
                       !request.http10};
  ScriptedReply player(state_.options(), channel);
  return player.play(state_.popScript().value_or(ResponseScript{}), context);
}

}  // namespace agent::standin
