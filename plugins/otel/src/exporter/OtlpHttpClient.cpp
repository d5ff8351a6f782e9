#include "exporter/OtlpHttpClient.hpp"

#include <sys/socket.h>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "agent/support/SigpipeBlock.hpp"
#include "agent/support/Text.hpp"

namespace agent::otel {
namespace {

constexpr std::size_t kMaxErrorExcerpt = 200;

Poco::Timespan timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

// The start of a refusal's body, for the warning: collectors explain themselves there.
std::string excerpt(std::istream& body) {
  std::string text(kMaxErrorExcerpt, '\0');
  body.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(body.gcount()));
  return agent::text::oneLine(agent::text::trim(text));
}

}  // namespace

OtlpHttpClient::OtlpHttpClient(KeyValues headers) : headers_(std::move(headers)) {}

bool OtlpHttpClient::registerSocket(int descriptor) {
  const MutexLock lock(mutex_);
  if (aborted_) return false;
  activeDescriptor_ = descriptor;
  return true;
}

void OtlpHttpClient::unregisterSocket() {
  const MutexLock lock(mutex_);
  activeDescriptor_ = -1;
}

void OtlpHttpClient::abort() noexcept {
  const MutexLock lock(mutex_);
  aborted_ = true;
  // The descriptor stays open while registered: the exporting thread unregisters before it
  // closes the socket. SHUT_RDWR wakes its blocked read or write.
  if (activeDescriptor_ >= 0) ::shutdown(activeDescriptor_, SHUT_RDWR);
}

Expected<Done, std::string> OtlpHttpClient::post(const OtlpEndpoint& endpoint,
                                                 const std::string& body,
                                                 std::chrono::milliseconds timeout) {
  // Poco writes without MSG_NOSIGNAL: a collector that closes while the batch is being written
  // must cost a warning, not the process (an embedding application may keep SIGPIPE's default).
  const SigpipeBlock noSigpipe;
  try {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress(endpoint.host, endpoint.port), timespan(timeout));
    socket.setReceiveTimeout(timespan(timeout));
    socket.setSendTimeout(timespan(timeout));
    if (!registerSocket(socket.impl()->sockfd())) return std::string("the exporter is stopping");
    struct Unregister {
      OtlpHttpClient& client;
      ~Unregister() { client.unregisterSocket(); }
    };
    Poco::Net::HTTPClientSession session(socket);
    const Unregister unregister{*this};  // destroyed before the session closes the socket
    session.setTimeout(timespan(timeout));

    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, endpoint.path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost(endpoint.host, endpoint.port);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.setKeepAlive(false);
    for (const auto& [name, value] : headers_)
      request.set(name, value);
    std::ostream& out = session.sendRequest(request);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    out.flush();

    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    const int status = static_cast<int>(response.getStatus());
    if (status >= 200 && status < 300) return Done{};
    std::string message = "HTTP " + std::to_string(status) + " from " + endpoint.url;
    const std::string reason = excerpt(in);
    if (!reason.empty()) message += ": " + reason;
    return message;
  } catch (const Poco::Exception& e) {
    return agent::text::oneLine(e.displayText()) + " (" + endpoint.url + ")";
  } catch (const std::exception& e) {
    return agent::text::oneLine(e.what()) + " (" + endpoint.url + ")";
  }
}

}  // namespace agent::otel
