// sigpipe_embedding: an application embedding the host that keeps SIGPIPE's default action (as
// most programs do), calling the real bitrouter.so through the real loader against a loopback
// server that reads a little of the request and then closes while the body is still being
// written. The plugin's write then fails with EPIPE; if anything let SIGPIPE through, the process
// dies of it. Over https the server is a TLS one whose self-signed certificate the program trusts
// (SSL_CERT_FILE), so the body is written by OpenSSL. Run by TransportFaultTest (fork and exec):
// exit 0 when the call came back as an error value, 1 otherwise; a death by SIGPIPE is the
// failure the test looks for.
//
//   sigpipe_embedding PLUGINS_DIR sync|async http|https
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include <openssl/ssl.h>

#include "agent/host/AgentHost.hpp"
#include "agent/test/Loopback.hpp"
#include "agent/test/SelfSignedCertificate.hpp"
#include "agent/test/TestEnvironment.hpp"

namespace {

// Hangs up the way that makes the client's next write fail with EPIPE (and raise SIGPIPE): a FIN
// first (the client's side is then half-closed), then a reset (closing with unread data).
void hangUp(int connection) {
  ::shutdown(connection, SHUT_WR);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::close(connection);
}

// Accepts one connection, reads a few KiB of the request, hangs up.
void closeMidBody(int listener) {
  const int connection = ::accept(listener, nullptr, nullptr);
  if (connection < 0) return;
  char buffer[4096];
  std::size_t got = 0;
  while (got < 8192) {
    const ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  hangUp(connection);
}

// The same over TLS. This server's own writes (the handshake) must not kill the program either:
// SIGPIPE is blocked on its thread only.
void closeMidBodyTls(int listener, const agent::test::SelfSignedCertificate& certificate) {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate_file(context, certificate.certPath().c_str(), SSL_FILETYPE_PEM);
  SSL_CTX_use_PrivateKey_file(context, certificate.keyPath().c_str(), SSL_FILETYPE_PEM);
  const int connection = ::accept(listener, nullptr, nullptr);
  if (connection >= 0) {
    SSL* ssl = SSL_new(context);
    SSL_set_fd(ssl, connection);
    if (SSL_accept(ssl) == 1) {
      char buffer[4096];
      int got = 0;
      while (got < 8192) {
        const int n = SSL_read(ssl, buffer, sizeof buffer);
        if (n <= 0) break;
        got += n;
      }
    }
    SSL_free(ssl);
    hangUp(connection);
  }
  SSL_CTX_free(context);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: sigpipe_embedding PLUGINS_DIR sync|async http|https\n";
    return 2;
  }
  const bool async = std::strcmp(argv[2], "async") == 0;
  const bool tls = std::strcmp(argv[3], "https") == 0;
  // What an embedding application may well have: the default action, not blocked.
  ::signal(SIGPIPE, SIG_DFL);
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_UNBLOCK, &pipe, nullptr);

  std::uint16_t port = 0;
  const int listener = agent::test::listenOnLoopback(port, 4);
  if (listener < 0) {
    std::perror("listen");
    return 2;
  }
  const agent::test::SelfSignedCertificate certificate;
  // Read by OpenSSL when the plugin's TLS context loads the default store.
  if (tls) ::setenv("SSL_CERT_FILE", certificate.certPath().c_str(), 1);
  std::thread server([listener, tls, &certificate] {
    if (tls) {
      closeMidBodyTls(listener, certificate);
    } else {
      closeMidBody(listener);
    }
  });

  agent::host::HostOptions options;
  options.pluginsDirectory = argv[1];
  options.environment = agent::test::mapEnvironment(
      {{"BITROUTER_BASE_URL",
        std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port)},
       {"BITROUTER_MAX_RETRIES", "0"},
       {"BITROUTER_TIMEOUT_MS", "20000"}});
  options.logLevel = agent::LogLevel::Error;
  int status = 1;
  {
    agent::host::AgentHost host(std::move(options));
    // Loading Poco blocks SIGPIPE in the loading thread (a static initializer of its threads),
    // and threads made later inherit that. An application's threads made before the host, or
    // one that sets its own mask, have it unblocked: as here, again, for the call's thread and
    // the host's call threads (made at the first asynchronous call, with this mask).
    pthread_sigmask(SIG_UNBLOCK, &pipe, nullptr);
    agent::GenerateTextParams params;
    params.prompt.assign(32u * 1024u * 1024u, 'a');  // far more than the socket buffers hold
    const agent::ModelResult result =
        async
            ? host.runtime().useModelAsync(agent::ModelType::TextSmall, std::move(params)).result()
            : host.runtime().useModel(agent::ModelType::TextSmall, std::move(params));
    if (!result.ok()) {
      std::cout << "error value: " << agent::toString(result.error().kind) << ": "
                << result.error().message << "\n";
      status = 0;
    } else {
      std::cout << "unexpected success\n";
    }
  }
  server.join();
  ::close(listener);
  return status;
}
