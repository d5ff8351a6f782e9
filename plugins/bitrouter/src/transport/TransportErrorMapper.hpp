// TransportErrorMapper: a Poco network exception -> a CallFailure with a useful message.
//
// Where it happened decides whether another attempt is safe: until the request is fully written
// BitRouter cannot have acted on it, so those failures (refused, unresolvable, connect timeout,
// reset while sending) are retried; once it is sent, a lost answer may still have been billed
// (non-streaming requests run to completion server-side), so those are not.
#pragma once

#include <chrono>

#include <Poco/Exception.h>

#include "agent/bitrouter/BaseUrl.hpp"
#include "chat/CallFailure.hpp"
#include "transport/Deadline.hpp"

namespace agent::bitrouter {

enum class TransportPhase {
  Send,     // connecting, TLS handshake, writing the request
  Receive,  // waiting for or reading the response
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
  static CallFailure map(const Poco::Exception& exception, TransportPhase phase,
                         const TransportContext& context);

  /// The whole-call deadline passed (BITROUTER_TIMEOUT_MS, or the caller's when sooner).
  static CallFailure deadline(const TransportContext& context);

  /// A failure while sending that leaves a reused keep-alive connection suspect: the server
  /// probably closed it while it sat idle, so it cannot have the whole request and sending it
  /// again on a fresh connection is safe. Never true once the request is written (Receive).
  static bool isStaleConnection(const Poco::Exception& exception, TransportPhase phase) noexcept;
};

}  // namespace agent::bitrouter
