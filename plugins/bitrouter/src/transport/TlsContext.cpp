#include "transport/TlsContext.hpp"

#include <openssl/ssl.h>

#include <Poco/Net/NetSSL.h>

namespace agent::bitrouter {
namespace {

// OpenSSL's pre-verification result stands: a chain that does not verify fails the handshake.
int keepOpenSslVerdict(int preverifyOk, X509_STORE_CTX*) {
  return preverifyOk;
}

}  // namespace

TlsContext::TlsContext() {
  Poco::Net::initializeSSL();
  try {
    context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                      Poco::Net::Context::VERIFY_RELAXED, 9, true);
    context_->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    SSL_CTX_set_verify(context_->sslContext(), SSL_VERIFY_PEER, &keepOpenSslVerdict);
  } catch (...) {
    Poco::Net::uninitializeSSL();
    throw;
  }
}

TlsContext::~TlsContext() {
  context_.reset();
  Poco::Net::uninitializeSSL();
}

}  // namespace agent::bitrouter
