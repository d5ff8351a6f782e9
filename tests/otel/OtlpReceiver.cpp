#include "OtlpReceiver.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

namespace agent::otel::test {
namespace {

class RecordingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RecordingHandler(OtlpReceiver& receiver) : receiver_(receiver) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    ReceivedRequest received;
    received.method = request.getMethod();
    received.path = request.getURI();
    received.contentType = request.getContentType();
    for (const auto& [name, value] : request)
      received.headers[name] = value;
    Poco::StreamCopier::copyToString(request.stream(), received.body);
    receiver_.record(std::move(received));
    switch (receiver_.mode()) {
      case OtlpReceiver::Mode::Accept:
        response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
        response.setContentType("application/json");
        response.send() << "{}";
        return;
      case OtlpReceiver::Mode::Refuse:
        response.setStatus(
            static_cast<Poco::Net::HTTPResponse::HTTPStatus>(receiver_.refuseStatus()));
        response.setContentType("text/plain");
        response.send() << "refused by the test collector";
        return;
      case OtlpReceiver::Mode::Hang:
        receiver_.hangUntilReleased();
        response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
        response.send() << "{}";
        return;
    }
  }

 private:
  OtlpReceiver& receiver_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(OtlpReceiver& receiver) : receiver_(receiver) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RecordingHandler(receiver_);
  }

 private:
  OtlpReceiver& receiver_;
};

}  // namespace

OtlpReceiver::OtlpReceiver(Mode mode, int refuseStatus) : mode_(mode), refuseStatus_(refuseStatus) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64);
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
}

OtlpReceiver::~OtlpReceiver() {
  {
    std::lock_guard lock(mutex_);
    released_ = true;
  }
  changed_.notify_all();
  server_->stopAll(true);
}

std::string OtlpReceiver::baseUrl() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void OtlpReceiver::record(ReceivedRequest request) {
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
  }
  changed_.notify_all();
}

void OtlpReceiver::hangUntilReleased() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return released_; });
}

std::vector<ReceivedRequest> OtlpReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<ReceivedRequest> OtlpReceiver::requestsTo(const std::string& path) const {
  std::vector<ReceivedRequest> matching;
  for (auto& request : requests()) {
    if (request.path == path) matching.push_back(std::move(request));
  }
  return matching;
}

bool OtlpReceiver::waitFor(const std::string& path, std::size_t count,
                           std::chrono::milliseconds limit) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit, [&] {
    std::size_t seen = 0;
    for (const auto& request : requests_)
      seen += request.path == path ? 1 : 0;
    return seen >= count;
  });
}

}  // namespace agent::otel::test
