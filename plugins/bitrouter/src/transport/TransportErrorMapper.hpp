// TransportErrorMapper: what went wrong on the wire -> a CallFailure with a useful message.
//
// Where it happened decides whether another attempt is safe: until the request is fully written
// BitRouter cannot have acted on it, so those failures (refused, unresolvable, connect timeout,
// reset while sending) are retried; once it is sent, a lost answer may still have been billed
// (non-streaming requests run to completion server-side), so those are not.
#pragma once

#include <chrono>
#include <string>

#include "agent/bitrouter/BaseUrl.hpp"
#include "errors/CallFailure.hpp"
#include "transport/Deadline.hpp"

namespace agent::bitrouter {

/// A failure of the connection, as the transport saw it.
struct TransportError {
  enum class Kind {
    // Before the request was written: BitRouter cannot have acted on it.
    Unresolved,      // the host name has no address
    Refused,         // nothing listens there
    ConnectTimeout,  // no TCP connection within the connect timeout
    Tls,             // the TLS handshake failed (detail from OpenSSL)
    Certificate,     // the server's certificate did not verify
    SendFailed,      // the connection failed while the request was written
    // After it was written: it may be running.
    NoAnswer,         // closed (or reset) before any byte of a response
    InvalidResponse,  // not HTTP/1.1, or broken framing
    ReceiveFailed,    // the connection failed while the response was read
  };
  Kind kind = Kind::SendFailed;
  std::string detail;  // short: what the system or the parser said

  bool beforeSending() const noexcept { return kind <= Kind::SendFailed; }
};

struct TransportContext {
  const BaseUrl& baseUrl;
  std::chrono::milliseconds connectTimeout;  // BITROUTER_CONNECT_TIMEOUT_MS
  std::chrono::milliseconds callTimeout;     // BITROUTER_TIMEOUT_MS, or the caller's sooner one
  bool deadlineExpired = false;              // the whole-call budget is spent
  Deadline::Source limit = Deadline::Source::Setting;  // whose limit callTimeout is
};

class TransportErrorMapper {
 public:
  static CallFailure map(const TransportError& error, const TransportContext& context);

  /// The whole-call deadline passed (BITROUTER_TIMEOUT_MS, the caller's when sooner, or the
  /// init probe's own limit).
  static CallFailure deadline(const TransportContext& context);

  /// A failure that leaves a reused keep-alive connection suspect: the server probably closed it
  /// while it sat idle, so it cannot have the whole request and sending it again on a fresh
  /// connection is safe. Only a failure while writing; never once the request is written.
  static bool isStaleConnection(const TransportError& error) noexcept {
    return error.kind == TransportError::Kind::SendFailed;
  }
};

}  // namespace agent::bitrouter
