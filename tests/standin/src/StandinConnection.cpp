#include "StandinConnection.hpp"

#include <Poco/Timespan.h>

#include "HttpRequestReader.hpp"
#include "ResponseWriter.hpp"
#include "SocketChannel.hpp"

namespace agent::standin {
namespace {

HttpResponse framingError(HttpRequestReader::Result result) {
  switch (result) {
    case HttpRequestReader::Result::HeadTooLarge:
      return HttpResponse::empty(431);
    case HttpRequestReader::Result::LengthRequired:
      return HttpResponse::empty(411);
    case HttpRequestReader::Result::BodyTooLarge:
      return HttpResponse::plainText(413,
                                     "Failed to buffer the request body: length limit exceeded");
    default:
      return HttpResponse::empty(400);
  }
}

}  // namespace

void StandinConnection::run() {
  Poco::Net::StreamSocket& sock = socket_;
  if (!state_.openConnection(sock)) return;
  try {
    sock.setNoDelay(true);  // SSE frames and small replies must leave at once
    auto idle = state_.options().idleTimeout;
    if (idle.count() > 0) sock.setReceiveTimeout(Poco::Timespan(idle.count() * 1000));
  } catch (...) {  // the peer may already be gone; reading will tell
  }

  HttpRequestReader reader(sock);
  SocketChannel channel(sock, state_);
  while (!state_.stopping()) {
    HttpRequest request;
    auto result = reader.read(request);
    if (result == HttpRequestReader::Result::Closed) break;
    if (result != HttpRequestReader::Result::Request) {
      ResponseWriter::write(channel, framingError(result), false);
      break;
    }
    bool reusable = false;
    try {
      reusable = router_.route(request, channel);
    } catch (const std::exception&) {  // a bug in a handler must not take the server down
      reusable = false;
    }
    if (!reusable || !request.keepAlive) break;
  }
  channel.shutdown();
  state_.closeConnection(sock);
}

}  // namespace agent::standin
