#include "transport/HttpExchange.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include <Poco/Exception.h>

#include "agent/support/Text.hpp"
#include "chat/RetryPolicy.hpp"

namespace agent::bitrouter {

using std::chrono::milliseconds;

bool isEventStream(const std::string& contentType) {
  return text::toLower(text::trim(contentType)).rfind("text/event-stream", 0) == 0;
}

std::optional<milliseconds> retryAfterFrom(const Poco::Net::HTTPResponse& response) {
  // retry-after-ms (OpenAI's extension) is more precise when a server sends it.
  const std::string precise(text::trim(response.get("retry-after-ms", "")));
  std::uint64_t millis = 0;
  const auto [end, ec] = std::from_chars(precise.data(), precise.data() + precise.size(), millis);
  if (!precise.empty() && ec == std::errc() && end == precise.data() + precise.size()) {
    return milliseconds(static_cast<std::int64_t>(std::min<std::uint64_t>(millis, 604'800'000)));
  }
  const std::string value = response.get("Retry-After", "");
  if (value.empty()) return std::nullopt;
  return RetryPolicy::parseRetryAfter(value);
}

std::string tooLargeMessage(std::size_t limit) {
  return "BitRouter's response exceeds " + std::to_string(limit) +
         " bytes (BITROUTER_MAX_RESPONSE_BYTES)";
}

TransportContext transportContext(const BitRouterConfig& config, const Deadline& deadline,
                                  milliseconds connectTimeout) {
  return TransportContext{config.baseUrl, connectTimeout, deadline.budget(), deadline.expired()};
}

void exchange(const BitRouterConfig& config, HttpSessionPool::Lease& lease,
              Poco::Net::HTTPRequest& request, std::string_view body, const Deadline& deadline,
              DeadlineWatchdog& watchdog, Exchange& result) {
  Poco::Net::HTTPClientSession& session = lease.session();
  const milliseconds remaining = deadline.remaining();
  const milliseconds connectTimeout = std::min(config.connectTimeout, remaining);
  if (remaining.count() <= 0) {
    result.failure =
        TransportErrorMapper::deadline(transportContext(config, deadline, connectTimeout));
    return;
  }
  TransportPhase phase = TransportPhase::Send;
  SocketTimeouts& timeouts = lease.timeouts();
  try {
    // Poco applies these at (re)connect; a kept-alive socket gets its timeouts set directly.
    session.setTimeout(SocketTimeouts::timespan(connectTimeout),
                       SocketTimeouts::timespan(remaining), SocketTimeouts::timespan(remaining));
    const bool wasConnected = session.connected();
    if (wasConnected) timeouts.applySend(session.socket(), remaining);
    std::ostream& out = session.sendRequest(request);
    if (!wasConnected) timeouts.connected(remaining, remaining);
    // Connected now (the connect has its own timeout). Should arming fail, every read still
    // has its own timeout; only a trickling server could then stretch the call.
    watchdog.arm(result.watch, session.socket(), deadline.end());
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    out.flush();
    if (!out.good()) {
      if (const Poco::Exception* network = session.networkException()) network->rethrow();
      throw Poco::IOException("the request body could not be written");
    }
    phase = TransportPhase::Receive;
    timeouts.applyReceive(session.socket(), deadline.remaining());
    result.body = &session.receiveResponse(result.response);
  } catch (const Poco::Exception& error) {
    if (result.watch.fired()) {
      // The watchdog shut the socket down: whatever Poco made of that, the deadline passed.
      result.failure =
          TransportErrorMapper::deadline(transportContext(config, deadline, connectTimeout));
      return;
    }
    result.stale = TransportErrorMapper::isStaleConnection(error, phase);
    result.failure =
        TransportErrorMapper::map(error, phase, transportContext(config, deadline, connectTimeout));
  }
}

BodyOutcome readBody(const BitRouterConfig& config, BodyReader& reader,
                     const Poco::Net::HTTPResponse& response, std::string& out, std::size_t limit,
                     std::array<char, CallBuffers::kReadBufferBytes>& buffer,
                     const Deadline& deadline) {
  BodyOutcome outcome;
  out.clear();
  if (response.hasContentLength()) {
    const Poco::Int64 length = response.getContentLength64();
    if (length > static_cast<Poco::Int64>(limit)) {
      outcome.tooLarge = true;
      return outcome;
    }
    // A negative (malformed) length must not reach reserve(): read to the end instead.
    if (length > 0) out.reserve(static_cast<std::size_t>(length));
  }
  try {
    for (;;) {
      const milliseconds remaining = deadline.remaining();
      if (remaining.count() <= 0) {
        outcome.failure = TransportErrorMapper::deadline(
            transportContext(config, deadline, config.connectTimeout));
        return outcome;
      }
      const std::size_t n = reader.readSome(buffer.data(), buffer.size(), remaining);
      if (n == 0) {
        outcome.complete = true;
        // Only a body whose length was known and met (or a chunked one, which ends with its own
        // terminator) leaves the connection clean; after a malformed Content-Length the rest of
        // the body may still be waiting, and would be read as the next response.
        const Poco::Int64 received = static_cast<Poco::Int64>(out.size());
        const Poco::Int64 promised =
            response.hasContentLength() ? response.getContentLength64() : -1;
        outcome.reusable = response.getChunkedTransferEncoding() || promised == received;
        if (promised > received) outcome.promisedBytes = promised;
        return outcome;
      }
      out.append(buffer.data(), n);
      if (out.size() > limit) {
        outcome.tooLarge = true;
        return outcome;
      }
    }
  } catch (const Poco::Exception& error) {
    outcome.failure = TransportErrorMapper::map(
        error, TransportPhase::Receive, transportContext(config, deadline, config.connectTimeout));
  }
  return outcome;
}

CallFailure cutShortFailure(std::size_t received, std::int64_t promised) {
  return CallFailure::make(ErrorKind::Unavailable,
                           "BitRouter closed the connection after " + std::to_string(received) +
                               " of the " + std::to_string(promised) +
                               " bytes of its response body",
                           "check BitRouter's log (or a proxy in between); the request was "
                           "delivered, so it is not sent again");
}

}  // namespace agent::bitrouter
