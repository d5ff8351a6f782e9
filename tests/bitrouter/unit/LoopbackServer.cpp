#include "LoopbackServer.hpp"

#include <sys/socket.h>

#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

namespace agent::bitrouter::test {
namespace {

// The state of the server whose handler runs on this thread, for pause().
thread_local std::shared_ptr<void> currentState;

struct CurrentState {
  explicit CurrentState(std::shared_ptr<void> state) { currentState = std::move(state); }
  ~CurrentState() { currentState.reset(); }
  CurrentState(const CurrentState&) = delete;
  CurrentState& operator=(const CurrentState&) = delete;
};

}  // namespace

class LoopbackServer::Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<State> state) : state_(std::move(state)) {}

  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(std::shared_ptr<State> state) : state_(std::move(state)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      RecordedRequest recorded;
      recorded.method = request.getMethod();
      recorded.uri = request.getURI();
      recorded.version = request.getVersion();
      for (const auto& [name, value] : request) {
        std::string lower = name;
        for (char& c : lower)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        recorded.headers[lower] = value;
      }
      Poco::StreamCopier::copyToString(request.stream(), recorded.body);
      int index = 0;
      {
        std::lock_guard<std::mutex> lock(state_->mutex);
        index = static_cast<int>(state_->requests.size());
        state_->requests.push_back(recorded);
      }
      const CurrentState current(state_);
      state_->handler(recorded, response, index);
    }

   private:
    std::shared_ptr<State> state_;
  };

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<State> state_;
};

LoopbackServer::LoopbackServer(Handler handler, Poco::Net::Context::Ptr tls)
    : state_(std::make_shared<State>()) {
  state_->handler = std::move(handler);
  const Poco::Net::SocketAddress address("127.0.0.1", 0);
  listener_ =
      tls ? Poco::Net::SecureServerSocket(address, 64, tls) : Poco::Net::ServerSocket(address, 64);
  port_ = listener_.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(30, 0));
  params->setMaxKeepAliveRequests(1000);
  params->setMaxThreads(16);
  threads_ = std::make_unique<Poco::ThreadPool>(2, 32);
  server_ =
      std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), *threads_, listener_, params);
  server_->start();
}

LoopbackServer::~LoopbackServer() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
  }
  state_->stopped.notify_all();  // handlers in pause() return now
  // A shut-down listener polls readable at once: the acceptor sees its stop flag without waiting
  // for its poll timeout (until stopAll() sets the flag, its accepts fail harmlessly).
  ::shutdown(listener_.impl()->sockfd(), SHUT_RDWR);
  server_->stopAll(true);  // aborts open connections, so their threads end promptly
  threads_->joinAll();
  server_.reset();  // the server goes before the pool it runs on
}

std::string LoopbackServer::baseUrl() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<RecordedRequest> LoopbackServer::requests() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->requests;
}

int LoopbackServer::requestCount() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return static_cast<int>(state_->requests.size());
}

int LoopbackServer::connections() const {
  return server_->totalConnections();
}

void LoopbackServer::json(Poco::Net::HTTPServerResponse& response, int status,
                          const std::string& body,
                          const std::map<std::string, std::string>& headers) {
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType("application/json");
  for (const auto& [name, value] : headers)
    response.set(name, value);
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

void LoopbackServer::text(Poco::Net::HTTPServerResponse& response, int status,
                          const std::string& body, const std::string& contentType) {
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType(contentType);
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

std::ostream& LoopbackServer::startSse(Poco::Net::HTTPServerResponse& response) {
  response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType("text/event-stream");
  response.set("Cache-Control", "no-cache");
  response.setChunkedTransferEncoding(true);
  std::ostream& out = response.send();
  out.flush();
  return out;
}

void LoopbackServer::frame(std::ostream& out, const std::string& payload) {
  out << "data: " << payload << "\n\n";
  out.flush();
}

bool LoopbackServer::pause(std::chrono::milliseconds delay) {
  const auto state = std::static_pointer_cast<State>(currentState);
  if (!state) {  // not on a handler's thread: nothing can cut the wait short
    std::this_thread::sleep_for(delay);
    return true;
  }
  std::unique_lock<std::mutex> lock(state->mutex);
  return !state->stopped.wait_for(lock, delay, [&] { return state->stopping; });
}

std::string completionJson(const std::string& contentJson, const std::string& finishReason,
                           bool withUsage) {
  std::string body =
      R"({"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":)" +
      contentJson + R"(},"finish_reason":")" + finishReason + R"("}])";
  if (withUsage) body += R"(,"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18})";
  body += "}";
  return body;
}

std::string deltaJson(const std::string& content) {
  return R"({"id":"x","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":")" +
         content + R"("},"finish_reason":null}]})";
}

std::string finishJson(const std::string& reason) {
  return R"({"id":"x","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{},"finish_reason":")" +
         reason + R"("}]})";
}

}  // namespace agent::bitrouter::test
