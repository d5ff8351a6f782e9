// ChatCompletionHandler: POST /v1/chat/completions, with BitRouter's checks in BitRouter's order:
// 415 content type, 413 body size, 400 JSON syntax (axum plain text), 401 auth, 400 request id,
// 400 ChatRequest validation, 400/404 model resolution; then the next script (or the default
// reply).
#pragma once

#include "Authenticator.hpp"
#include "HttpRequest.hpp"
#include "ModelResolver.hpp"
#include "SocketChannel.hpp"
#include "StandinState.hpp"

namespace agent::standin {

class ChatCompletionHandler {
 public:
  explicit ChatCompletionHandler(StandinState& state);

  /// Answers one request; returns whether the connection can carry another.
  bool handle(const HttpRequest& request, SocketChannel& channel) const;

 private:
  StandinState& state_;
  Authenticator authenticator_;
  ModelResolver resolver_;
};

}  // namespace agent::standin
