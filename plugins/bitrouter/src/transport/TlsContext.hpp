// TlsContext: the TLS client context for an https:// BITROUTER_BASE_URL, built once per client.
//
// Explicit on purpose (never SSLManager's defaults): TLS 1.2+, certificates verified against the
// system CA store (VERIFY_RELAXED + loadDefaultCAs), host name checked by Poco. OpenSSL's own
// verdict is final: the context's verify callback is replaced, so no SSLManager "invalid
// certificate handler" - which inside a Poco::Util::Application defaults to a console prompt
// that accepts a bad certificate on "y" - is ever consulted.
#pragma once

#include <Poco/Net/Context.h>

namespace agent::bitrouter {

class TlsContext {
 public:
  TlsContext();  // initialises the SSL library (reference counted by Poco)
  ~TlsContext();

  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  const Poco::Net::Context::Ptr& context() const noexcept { return context_; }

 private:
  Poco::Net::Context::Ptr context_;
};

}  // namespace agent::bitrouter
