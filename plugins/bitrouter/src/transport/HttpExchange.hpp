// HttpExchange: one HTTP request/response exchange with BitRouter over a pooled connection.
//
// Sends the request and waits for the response headers, with the call's deadline applied to the
// connect (capped by BITROUTER_CONNECT_TIMEOUT_MS), the send and the wait; then reads bodies one
// socket read at a time under the same deadline. Once connected, the socket is also armed with
// the client's DeadlineWatchdog, which holds the deadline inside Poco's header parsing, where
// per-read timeouts cannot. Poco exceptions become CallFailures here, so the layers above deal in
// values only.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include "agent/bitrouter/BitRouterConfig.hpp"
#include "chat/CallFailure.hpp"
#include "transport/BodyReader.hpp"
#include "transport/Deadline.hpp"
#include "transport/DeadlineWatchdog.hpp"
#include "transport/HttpSessionPool.hpp"
#include "transport/TransportErrorMapper.hpp"

namespace agent::bitrouter {

/// The outcome of sending a request, up to the response headers.
struct Exchange {
  Poco::Net::HTTPResponse response;
  std::istream* body = nullptr;  // valid until the session's next request
  std::optional<CallFailure> failure;
  bool stale = false;  // failed while sending on a kept-alive connection: safe to send again
  // Armed once connected, until the caller disarms it (or destroys this), which must happen
  // before the connection is reused; once fired() the connection is dead.
  DeadlineWatchdog::Watch watch;
};

/// A whole (non-streamed) body read into a buffer.
struct BodyOutcome {
  bool complete = false;  // read to its end
  bool reusable = false;  // complete, and framed so that nothing of it is left on the connection
  bool tooLarge = false;  // more than the limit (then not read to its end)
  // The connection closed before Content-Length bytes came: the server (or a proxy) hung up
  // mid-body. `out` holds what did arrive.
  std::optional<std::int64_t> promisedBytes;
  std::optional<CallFailure> failure;

  bool cutShort() const noexcept { return promisedBytes.has_value(); }
};

/// Sends `request` with `body` on the lease's session and reads the response headers, with
/// `result.watch` armed on `watchdog` for the deadline.
void exchange(const BitRouterConfig& config, HttpSessionPool::Lease& lease,
              Poco::Net::HTTPRequest& request, std::string_view body, const Deadline& deadline,
              DeadlineWatchdog& watchdog, Exchange& result);

/// Reads the body into `out` (cleared first), up to `limit` bytes.
BodyOutcome readBody(const BitRouterConfig& config, BodyReader& reader,
                     const Poco::Net::HTTPResponse& response, std::string& out, std::size_t limit,
                     std::array<char, CallBuffers::kReadBufferBytes>& buffer,
                     const Deadline& deadline);

/// The server's wait hint: retry-after-ms (milliseconds) or Retry-After (seconds or HTTP-date).
std::optional<std::chrono::milliseconds> retryAfterFrom(const Poco::Net::HTTPResponse& response);

bool isEventStream(const std::string& contentType);

TransportContext transportContext(const BitRouterConfig& config, const Deadline& deadline,
                                  std::chrono::milliseconds connectTimeout);

/// "BitRouter's response exceeds N bytes (BITROUTER_MAX_RESPONSE_BYTES)".
std::string tooLargeMessage(std::size_t limit);

/// The failure for a body cut short: the connection closed after `received` of `promised` bytes.
/// Unavailable and not retried: the request was delivered and may have been processed.
CallFailure cutShortFailure(std::size_t received, std::int64_t promised);

}  // namespace agent::bitrouter
