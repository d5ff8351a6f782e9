#include "transport/HttpTransport.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <future>
#include <istream>
#include <sstream>

#include "agent/support/Text.hpp"
#include "protocol/JsonRpc.hpp"
#include "transport/SseParser.hpp"

namespace agent::mcp {
namespace {

constexpr int kResumeAttempts = 3;
constexpr std::chrono::seconds kDeleteTimeout{2};

// One TLS client context for the plugin's lifetime: the system's CAs, peer verified.
Poco::Net::Context::Ptr tlsContext() {
  static Poco::Net::Context::Ptr context = [] {
    Poco::Net::initializeSSL();
    return Poco::Net::Context::Ptr(
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                               Poco::Net::Context::VERIFY_RELAXED, 9, true));
  }();
  return context;
}

}  // namespace

HttpTransport::HttpTransport(std::string url, NamedValues headers,
                             std::chrono::milliseconds timeout)
    : url_(std::move(url)), headers_(std::move(headers)), timeout_(timeout) {}

HttpTransport::~HttpTransport() {
  close();
}

Expected<Done, std::string> HttpTransport::open(TransportHandlers handlers) {
  try {
    const Poco::URI uri(url_);
    host_ = uri.getHost();
    port_ = uri.getPort();
    path_ = uri.getPathAndQuery();
    if (path_.empty()) path_ = "/";
    secure_ = text::toLower(uri.getScheme()) == "https";
  } catch (const std::exception& e) {
    return "the url " + url_ + " cannot be used: " + e.what();
  }
  handlers_ = std::move(handlers);
  return Done{};
}

void HttpTransport::setProtocolVersion(const std::string& version) {
  std::lock_guard lock(mutex_);
  protocolVersion_ = version;
}

std::string HttpTransport::recentLog() const {
  std::lock_guard lock(mutex_);
  return lastProblem_;
}

void HttpTransport::note(const std::string& line) {
  std::lock_guard lock(mutex_);
  lastProblem_ = line;
}

std::unique_ptr<Poco::Net::HTTPClientSession> HttpTransport::makeSession() {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (secure_) {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, tlsContext());
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
  }
  // The request's own timeout is the client's (ServerConnection); this only bounds a silent
  // socket, which progress keeps alive for up to ten times the timeout.
  session->setTimeout(Poco::Timespan(static_cast<long>(timeout_.count() / 1000) * 10 + 10, 0));
  return session;
}

void HttpTransport::addHeaders(Poco::Net::HTTPRequest& request) const {
  for (const auto& [name, value] : headers_)
    request.set(name, value);
  std::lock_guard lock(mutex_);
  if (!sessionId_.empty()) request.set("Mcp-Session-Id", sessionId_);
  if (!protocolVersion_.empty()) request.set("MCP-Protocol-Version", protocolVersion_);
}

void HttpTransport::track(Poco::Net::HTTPClientSession* session, bool add) {
  std::lock_guard lock(mutex_);
  if (add) {
    active_.insert(session);
  } else {
    active_.erase(session);
  }
}

Expected<Done, std::string> HttpTransport::send(std::string_view message) {
  std::lock_guard lock(mutex_);
  if (closing_) return std::string("the connection is closed");
  // Finished workers are joined here, so the list stays short.
  for (auto it = workers_.begin(); it != workers_.end();) {
    if ((*it)->done) {
      (*it)->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
  // A notification or an answer must reach the server before anything sent after it: the
  // server may act on `notifications/initialized` (register tools, say) only once it has it.
  // So each POST first waits until every earlier non-request POST was accepted. Requests do
  // not wait for each other, so a long call never holds up the others.
  const Incoming outgoing = parseMessage(message);
  const bool isRequest = outgoing.kind == Incoming::Kind::Request;
  std::shared_future<void> after = lastAccepted_;
  std::shared_ptr<std::promise<void>> accepted;
  if (!isRequest) {
    accepted = std::make_shared<std::promise<void>>();
    lastAccepted_ = accepted->get_future().share();
  }
  auto worker = std::make_unique<Worker>();
  Worker* raw = worker.get();
  raw->thread = std::thread([this, raw, after, accepted, text = std::string(message),
                             awaitedId = isRequest ? outgoing.rawId : std::string()]() {
    if (after.valid()) after.wait();
    post(text, awaitedId);
    if (accepted) accepted->set_value();
    raw->done = true;
  });
  workers_.push_back(std::move(worker));
  return Done{};
}

void HttpTransport::fail(const std::string& rawId, const std::string& message) {
  note(message);
  if (rawId.empty() || !handlers_.onMessage) return;
  handlers_.onMessage(errorText(rawId, -32000, message));
}

bool HttpTransport::readEvents(std::istream& body, std::string& lastEventId, int& retryMs,
                               const std::string& awaitedId) {
  bool answered = false;
  SseParser parser([&](const std::string& type, const std::string& data) {
    if (type != "message" || text::isBlank(data)) return;
    if (!awaitedId.empty()) {
      const Incoming incoming = parseMessage(data);
      if (incoming.kind == Incoming::Kind::Response && std::to_string(incoming.id) == awaitedId)
        answered = true;
    }
    if (handlers_.onMessage) handlers_.onMessage(data);
  });
  std::string line;
  while (std::getline(body, line))
    parser.line(line);
  parser.line("");
  if (!parser.lastEventId().empty()) lastEventId = parser.lastEventId();
  if (parser.retryMs()) retryMs = *parser.retryMs();
  return answered;
}

bool HttpTransport::resume(std::string lastEventId, int retryMs, const std::string& awaitedId) {
  for (int attempt = 0; attempt < kResumeAttempts && !lastEventId.empty(); ++attempt) {
    {
      std::unique_lock lock(mutex_);
      if (closing_) return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(retryMs));
    try {
      auto session = makeSession();
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path_,
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.set("Accept", "text/event-stream");
      request.set("Last-Event-ID", lastEventId);
      addHeaders(request);
      track(session.get(), true);
      session->sendRequest(request);
      Poco::Net::HTTPResponse response;
      std::istream& body = session->receiveResponse(response);
      bool answered = false;
      if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
        answered = readEvents(body, lastEventId, retryMs, awaitedId);
      track(session.get(), false);
      if (answered) return true;
      if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) return false;
    } catch (const std::exception&) {
      // try again after the delay
    }
  }
  return false;
}

void HttpTransport::post(const std::string& message, const std::string& awaitedId) {
  {
    std::lock_guard lock(mutex_);
    if (closing_) return;  // close() ended the connection while this POST waited its turn
  }
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  try {
    session = makeSession();
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path_,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.set("Accept", "application/json, text/event-stream");
    addHeaders(request);
    const bool carriedSession = request.has("Mcp-Session-Id");
    request.setContentLength(static_cast<std::streamsize>(message.size()));
    track(session.get(), true);
    session->sendRequest(request) << message;
    Poco::Net::HTTPResponse response;
    std::istream& body = session->receiveResponse(response);
    const int status = response.getStatus();
    if (response.has("Mcp-Session-Id")) {
      std::lock_guard lock(mutex_);
      sessionId_ = response.get("Mcp-Session-Id");
    }
    if (status == 404 && carriedSession) {
      // The server no longer knows the session, so it did not read this message; the connection
      // is over and the client starts a new session (once, whichever POST saw it first).
      track(session.get(), false);
      if (!awaitedId.empty() && handlers_.onUnread) handlers_.onUnread(awaitedId);
      if (!sessionLost_.exchange(true)) {
        {
          std::lock_guard lock(mutex_);
          sessionId_.clear();
        }
        note("the server ended the session (HTTP 404)");
        if (handlers_.onClosed)
          handlers_.onClosed("the server ended the session (HTTP 404); a new one is started", true);
      }
      return;
    }
    if (status == 202 || status == 204) {
      track(session.get(), false);
      return;
    }
    if (status < 200 || status >= 300) {
      std::string excerpt;
      Poco::StreamCopier::copyToString(body, excerpt);
      track(session.get(), false);
      fail(awaitedId, "HTTP " + std::to_string(status) + " " + response.getReason() +
                          (excerpt.empty() ? "" : ": " + text::oneLine(excerpt.substr(0, 200))));
      return;
    }
    const std::string type = text::toLower(response.getContentType());
    if (type.find("text/event-stream") != std::string::npos) {
      std::string lastEventId;
      int retryMs = 1000;
      bool answered = readEvents(body, lastEventId, retryMs, awaitedId);
      track(session.get(), false);
      if (!answered && !awaitedId.empty()) answered = resume(lastEventId, retryMs, awaitedId);
      if (!answered && !awaitedId.empty())
        fail(awaitedId, "the server's event stream ended before the answer");
      return;
    }
    std::string json;
    Poco::StreamCopier::copyToString(body, json);
    track(session.get(), false);
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    if (!document.HasParseError() && document.IsArray()) {
      for (const auto& item : document.GetArray())
        if (handlers_.onMessage) handlers_.onMessage(toJson(item));
    } else if (handlers_.onMessage) {
      handlers_.onMessage(json);
    }
  } catch (const std::exception& e) {
    if (session) track(session.get(), false);
    bool closing = false;
    {
      std::lock_guard lock(mutex_);
      closing = closing_;
    }
    if (!closing) fail(awaitedId, "cannot reach " + url_ + ": " + text::oneLine(e.what()));
  }
}

void HttpTransport::close() {
  std::string sessionId;
  std::string version;
  std::list<std::unique_ptr<Worker>> workers;
  {
    std::lock_guard lock(mutex_);
    if (closing_) return;
    closing_ = true;
    sessionId = sessionId_;
    version = protocolVersion_;
    for (auto* session : active_) {
      try {
        session->abort();  // ends streams still open, so their threads finish now
      } catch (...) {
      }
    }
    workers.swap(workers_);
  }
  for (auto& worker : workers)
    worker->thread.join();
  if (sessionId.empty()) return;
  try {
    auto session = makeSession();
    session->setTimeout(Poco::Timespan(kDeleteTimeout.count(), 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_DELETE, path_,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers_)
      request.set(name, value);
    request.set("Mcp-Session-Id", sessionId);
    if (!version.empty()) request.set("MCP-Protocol-Version", version);
    session->sendRequest(request);
    Poco::Net::HTTPResponse response;
    session->receiveResponse(response);
  } catch (...) {
    // the server is gone: nothing to end
  }
}

}  // namespace agent::mcp
