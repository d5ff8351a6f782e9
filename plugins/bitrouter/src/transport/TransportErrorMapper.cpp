#include "transport/TransportErrorMapper.hpp"

#include <string_view>

#include "errors/TextExcerpt.hpp"

namespace agent::bitrouter {
namespace {

std::string ms(std::chrono::milliseconds value) {
  return std::to_string(value.count()) + " ms";
}

CallFailure notSent(ErrorKind kind, std::string what, std::string hint) {
  CallFailure failure = CallFailure::make(kind, std::move(what), std::move(hint));
  failure.requestSent = false;
  return failure;
}

CallFailure sendFailure(const TransportError& error, const TransportContext& context) {
  const std::string& url = context.baseUrl.text;
  const std::string detail = textExcerpt(error.detail, 160);
  switch (error.kind) {
    case TransportError::Kind::Refused:
      return notSent(ErrorKind::Unavailable,
                     "cannot connect to BitRouter at " + url + " (connection refused)",
                     "is BitRouter running at " + url + "?");
    case TransportError::Kind::Unresolved:
      return notSent(ErrorKind::Unavailable,
                     "cannot resolve host '" + context.baseUrl.host + "' of BITROUTER_BASE_URL",
                     "check BITROUTER_BASE_URL (" + url + ")");
    case TransportError::Kind::ConnectTimeout:
      if (context.deadlineExpired) return TransportErrorMapper::deadline(context);
      return notSent(ErrorKind::Timeout,
                     "connecting to BitRouter at " + url + " timed out after " +
                         ms(context.connectTimeout) + " (BITROUTER_CONNECT_TIMEOUT_MS)",
                     "is BitRouter running at " + url + "?");
    case TransportError::Kind::Certificate:
    case TransportError::Kind::Tls: {
      CallFailure failure =
          error.kind == TransportError::Kind::Certificate
              ? notSent(ErrorKind::Unavailable,
                        "TLS certificate verification failed for " + url + " (" + detail + ")",
                        "BitRouter's certificate must chain to a CA in the system store and "
                        "match the host name")
              : notSent(ErrorKind::Unavailable,
                        "TLS handshake with " + url + " failed (" + detail + ")",
                        "check that " + url + " speaks HTTPS");
      failure.error.retryable = false;  // trying again cannot fix a certificate or protocol
      return failure;
    }
    default:
      // Anything else before the request was fully written (reset, broken pipe): BitRouter
      // cannot have acted on a partial request, so another attempt is safe.
      return notSent(ErrorKind::Unavailable,
                     "sending the request to BitRouter at " + url + " failed (" + detail + ")",
                     "is BitRouter running at " + url + "?");
  }
}

// The request was written: BitRouter may be running it (and will finish and bill a non-streamed
// one even with the client gone), so none of these is retried, not even on a kept-alive
// connection that merely looks stale.
CallFailure receiveFailure(const TransportError& error, const TransportContext& context) {
  const std::string& url = context.baseUrl.text;
  const std::string detail = textExcerpt(error.detail, 160);
  constexpr std::string_view kNotRetried = "not retried, since it may still complete and bill";
  // Not retryable anywhere: neither here nor by the host's MODEL_FAILOVER on another provider.
  const auto mayHaveRun = [](CallFailure failure) {
    failure.error.retryable = false;
    return failure;
  };
  switch (error.kind) {
    case TransportError::Kind::NoAnswer:
      return mayHaveRun(CallFailure::make(ErrorKind::Unavailable,
                                          "BitRouter at " + url +
                                              " closed the connection without answering (the "
                                              "request may have been processed)",
                                          std::string(kNotRetried)));
    case TransportError::Kind::InvalidResponse:
      return CallFailure::make(
          ErrorKind::BadResponse,
          "BitRouter at " + url + " sent an invalid HTTP response (" + detail + ")",
          "check that BITROUTER_BASE_URL points at BitRouter");
    default:
      return mayHaveRun(CallFailure::make(ErrorKind::Unavailable,
                                          "reading BitRouter's response failed (" + detail +
                                              "; the request may have been processed)",
                                          std::string(kNotRetried)));
  }
}

}  // namespace

CallFailure TransportErrorMapper::deadline(const TransportContext& context) {
  switch (context.limit) {
    case Deadline::Source::Caller:
      return CallFailure::make(ErrorKind::Timeout,
                               "no complete response from BitRouter within the call's own "
                               "deadline (" +
                                   ms(context.callTimeout) + ", sooner than BITROUTER_TIMEOUT_MS)",
                               "give the call more time");
    case Deadline::Source::Probe:
      return CallFailure::make(
          ErrorKind::Timeout, "no complete response from BitRouter within " +
                                  ms(context.callTimeout) +
                                  " (the init probe's own limit; calls have BITROUTER_TIMEOUT_MS)");
    case Deadline::Source::Setting:
      break;
  }
  return CallFailure::make(ErrorKind::Timeout,
                           "no complete response from BitRouter within " + ms(context.callTimeout) +
                               " (BITROUTER_TIMEOUT_MS)",
                           "raise BITROUTER_TIMEOUT_MS for long generations");
}

CallFailure TransportErrorMapper::map(const TransportError& error,
                                      const TransportContext& context) {
  return error.beforeSending() ? sendFailure(error, context) : receiveFailure(error, context);
}

}  // namespace agent::bitrouter
