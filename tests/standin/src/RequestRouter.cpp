#include "RequestRouter.hpp"

#include <cctype>

#include "ResponseWriter.hpp"

namespace agent::standin {
namespace {

HttpResponse methodNotAllowed(std::string allow) {
  HttpResponse response = HttpResponse::empty(405);
  response.headers.emplace_back("allow", std::move(allow));
  return response;
}

bool isCodex(const std::string& userAgent) {
  std::string lower(userAgent);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("codex") != std::string::npos;
}

}  // namespace

bool RequestRouter::route(const HttpRequest& request, SocketChannel& channel) const {
  const std::string& path = request.path;
  const bool isGet = request.method == "GET" || request.method == "HEAD";
  auto send = [&](HttpResponse response) {
    if (request.method == "HEAD") {  // HEAD: the GET headers, no body
      std::string head = ResponseWriter::head(response.status, response.headers,
                                              response.body.size(), request.keepAlive);
      return channel.send(head) && request.keepAlive;
    }
    return ResponseWriter::write(channel, response, request.keepAlive);
  };

  if (path.rfind(AdminHandler::kPrefix, 0) == 0) return send(admin_.handle(request));
  if (path == "/health") {  // liveness only, never recorded
    return send(isGet ? HttpResponse::json(200, R"({"status":"ok"})")
                      : methodNotAllowed("GET,HEAD"));
  }

  state_.record(request);
  if (path == "/v1/chat/completions") {
    if (request.method != "POST") return send(methodNotAllowed("POST"));
    state_.countChatRequest();
    return chat_.handle(request, channel);
  }
  if (path == "/v1/models") {  // unauthenticated even when skip_auth is off
    if (!isGet) return send(methodNotAllowed("GET,HEAD"));
    return send(HttpResponse::json(200, state_.modelsBody(isCodex(request.header("user-agent")))));
  }
  return send(HttpResponse::empty(404));
}

}  // namespace agent::standin
