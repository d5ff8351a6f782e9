#include "transport/TransportErrorMapper.hpp"

#include <string>
#include <string_view>

#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

#include "chat/TextExcerpt.hpp"

namespace agent::bitrouter {
namespace {

template <class T>
bool is(const Poco::Exception& exception) {
  return dynamic_cast<const T*>(&exception) != nullptr;
}

std::string detail(const Poco::Exception& exception) {
  return textExcerpt(exception.displayText(), 160);
}

std::string ms(std::chrono::milliseconds value) {
  return std::to_string(value.count()) + " ms";
}

CallFailure sendFailure(const Poco::Exception& exception, const TransportContext& context) {
  const std::string& url = context.baseUrl.text;
  if (is<Poco::Net::ConnectionRefusedException>(exception)) {
    CallFailure failure = CallFailure::make(
        ErrorKind::Unavailable, "cannot connect to BitRouter at " + url + " (connection refused)",
        "is BitRouter running at " + url + "?");
    failure.requestSent = false;
    return failure;
  }
  if (is<Poco::Net::DNSException>(exception)) {
    CallFailure failure = CallFailure::make(
        ErrorKind::Unavailable,
        "cannot resolve host '" + context.baseUrl.host + "' of BITROUTER_BASE_URL",
        "check BITROUTER_BASE_URL (" + url + ")");
    failure.requestSent = false;
    return failure;
  }
  if (is<Poco::TimeoutException>(exception)) {
    if (context.deadlineExpired) return TransportErrorMapper::deadline(context);
    CallFailure failure =
        CallFailure::make(ErrorKind::Timeout,
                          "connecting to BitRouter at " + url + " timed out after " +
                              ms(context.connectTimeout) + " (BITROUTER_CONNECT_TIMEOUT_MS)",
                          "is BitRouter running at " + url + "?");
    failure.requestSent = false;
    return failure;
  }
  if (is<Poco::Net::SSLException>(exception)) {
    const std::string text = exception.displayText();
    const bool certificate = is<Poco::Net::CertificateValidationException>(exception) ||
                             is<Poco::Net::InvalidCertificateException>(exception) ||
                             text.find("certificate") != std::string::npos;
    CallFailure failure =
        certificate
            ? CallFailure::make(
                  ErrorKind::Unavailable,
                  "TLS certificate verification failed for " + url + " (" + detail(exception) + ")",
                  "BitRouter's certificate must chain to a CA in the system store "
                  "and match the host name")
            : CallFailure::make(ErrorKind::Unavailable,
                                "TLS handshake with " + url + " failed (" + detail(exception) + ")",
                                "check that " + url + " speaks HTTPS");
    failure.error.retryable = false;  // trying again cannot fix a certificate or protocol
    failure.requestSent = false;
    return failure;
  }
  // Anything else before the request was fully written (reset, broken pipe): BitRouter
  // cannot have acted on a partial request, so another attempt is safe.
  CallFailure failure = CallFailure::make(
      ErrorKind::Unavailable,
      "sending the request to BitRouter at " + url + " failed (" + detail(exception) + ")",
      "is BitRouter running at " + url + "?");
  failure.requestSent = false;
  return failure;
}

// The request was written: BitRouter may be running it (and will finish and bill a non-streamed
// one even with the client gone), so none of these is retried, not even on a kept-alive
// connection that merely looks stale.
CallFailure receiveFailure(const Poco::Exception& exception, const TransportContext& context) {
  if (is<Poco::TimeoutException>(exception)) return TransportErrorMapper::deadline(context);
  const std::string& url = context.baseUrl.text;
  constexpr std::string_view kNotRetried = "not retried, since it may still complete and bill";
  // Not retryable anywhere: neither here nor by the host's MODEL_FAILOVER on another provider.
  const auto mayHaveRun = [](CallFailure failure) {
    failure.error.retryable = false;
    return failure;
  };
  if (is<Poco::Net::NoMessageException>(exception)) {
    return mayHaveRun(CallFailure::make(ErrorKind::Unavailable,
                                        "BitRouter at " + url +
                                            " closed the connection without answering (the "
                                            "request may have been processed)",
                                        std::string(kNotRetried)));
  }
  if (is<Poco::Net::MessageException>(exception)) {
    return CallFailure::make(
        ErrorKind::BadResponse,
        "BitRouter at " + url + " sent an invalid HTTP response (" + detail(exception) + ")",
        "check that BITROUTER_BASE_URL points at BitRouter");
  }
  return mayHaveRun(CallFailure::make(ErrorKind::Unavailable,
                                      "reading BitRouter's response failed (" + detail(exception) +
                                          "; the request may have been processed)",
                                      std::string(kNotRetried)));
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

CallFailure TransportErrorMapper::map(const Poco::Exception& exception, TransportPhase phase,
                                      const TransportContext& context) {
  return phase == TransportPhase::Send ? sendFailure(exception, context)
                                       : receiveFailure(exception, context);
}

bool TransportErrorMapper::isStaleConnection(const Poco::Exception& exception,
                                             TransportPhase phase) noexcept {
  // Once the request is written, a close or reset looks the same whether the server dropped an
  // idle connection or read the request and died: it may be running, so never "stale".
  if (phase != TransportPhase::Send) return false;
  // Only a handshake or timeout problem while sending is not about staleness.
  return !is<Poco::TimeoutException>(exception) && !is<Poco::Net::SSLException>(exception);
}

}  // namespace agent::bitrouter
