// StandinOptions: how a BitRouter stand-in is configured (listen address, auth, catalog, timing).
//
// The stand-in is a test and demo double, not BitRouter. Its defaults mirror the BitRouter daemon's
// zero-config mode (loopback, skip_auth) so that a client configured for a local BitRouter works
// against it unchanged; see docs in /work/shared/reference/bitrouter-http-contract.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agent::standin {

/// One entry of the model catalog: an id a client may send bare, and who "declares" it.
struct CatalogModel {
  std::string id;
  std::vector<std::string> providers;
};

/// The catalog a stand-in serves unless told otherwise: small, OpenAI/Anthropic-flavoured ids.
inline std::vector<CatalogModel> defaultCatalog() {
  return {
      {"gpt-4o-mini", {"openai"}},        {"gpt-4o", {"openai"}},
      {"openai/gpt-4o", {"openai"}},      {"openai/gpt-4o-mini", {"openai"}},
      {"claude-sonnet-4", {"anthropic"}}, {"anthropic/claude-sonnet-4", {"anthropic"}},
  };
}

struct StandinOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 = an ephemeral port, kept across stop()/start()

  bool skipAuth = true;                    // false: chat requests need a known brvk_ key
  std::vector<std::string> validKeys{};    // accepted brvk_ secrets when !skipAuth
  std::vector<std::string> revokedKeys{};  // answered "API key is inactive"
  std::vector<std::string> expiredKeys{};  // answered "API key has expired"

  std::vector<CatalogModel> catalog = defaultCatalog();          // bare ids; others get 404
  std::vector<std::string> providers = {"openai", "anthropic"};  // ids accepted in "provider:model"

  // SSE ":keepalive" comment after this long without a frame (BitRouter: 30 s, fixed).
  std::chrono::milliseconds keepaliveInterval{30000};
  std::chrono::milliseconds streamFrameDelay{0};  // default pause between SSE frames
  // Assistant text of every default reply; unset: "Stand-in reply from <model>: <last user text>".
  std::optional<std::string> replyText{};

  int maxThreads = 64;  // concurrent connections served
  // An idle keep-alive connection is closed after this (longer than Poco's 8 s client default,
  // so a client never reuses a connection the server is closing).
  std::chrono::milliseconds idleTimeout{120000};
  std::size_t maxRecordedRequests = 10000;  // oldest records are dropped beyond this
};

}  // namespace agent::standin
