#include "AdminHandler.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "ScriptJson.hpp"

namespace agent::standin {
namespace {

HttpResponse adminError(int status, const std::string& message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.String(message);
  writer.EndObject();
  return HttpResponse::json(status, buffer.GetString());
}

HttpResponse queued(std::size_t count) {
  return HttpResponse::json(200, "{\"queued\":" + std::to_string(count) + "}");
}

HttpResponse methodNotAllowed(std::string allow) {
  HttpResponse response = HttpResponse::empty(405);
  response.headers.emplace_back("allow", std::move(allow));
  return response;
}

}  // namespace

HttpResponse AdminHandler::handle(const HttpRequest& request) const {
  const std::string_view what = std::string_view(request.path).substr(kPrefix.size());
  if (what == "script") {
    if (request.method != "POST") return methodNotAllowed("POST");
    rapidjson::Document json;
    json.Parse(request.body.data(), request.body.size());
    if (json.HasParseError()) return adminError(400, "the script is not valid JSON");
    ResponseScript script;
    int count = 1;
    if (auto error = ScriptJson::parse(json, script, count)) return adminError(400, *error);
    state_.pushScript(script, count);
    return queued(state_.queuedScripts());
  }
  if (what == "stats") {
    if (request.method != "GET") return methodNotAllowed("GET,HEAD");
    return HttpResponse::json(
        200, "{\"chatRequests\":" + std::to_string(state_.chatRequests()) +
                 ",\"connections\":" + std::to_string(state_.connections()) +
                 ",\"queuedScripts\":" + std::to_string(state_.queuedScripts()) + "}");
  }
  if (what == "reset") {
    if (request.method != "POST") return methodNotAllowed("POST");
    state_.clearScripts();
    state_.resetRecords();
    return queued(0);
  }
  return HttpResponse::empty(404);
}

}  // namespace agent::standin
