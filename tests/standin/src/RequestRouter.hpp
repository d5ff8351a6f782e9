// RequestRouter: maps each request to its handler, the way BitRouter's axum router does: known
// paths, 405 (empty, with Allow) for a wrong method, 404 (empty) for anything else.
#pragma once

#include "AdminHandler.hpp"
#include "ChatCompletionHandler.hpp"
#include "HttpRequest.hpp"
#include "SocketChannel.hpp"
#include "StandinState.hpp"

namespace agent::standin {

class RequestRouter {
 public:
  explicit RequestRouter(StandinState& state) : state_(state), chat_(state), admin_(state) {}

  /// Answers one request; returns whether the connection can carry another.
  bool route(const HttpRequest& request, SocketChannel& channel) const;

 private:
  StandinState& state_;
  ChatCompletionHandler chat_;
  AdminHandler admin_;
};

}  // namespace agent::standin
