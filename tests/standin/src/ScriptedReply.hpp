// ScriptedReply: plays one ResponseScript for a request that passed every check: transport faults,
// an error envelope, a chat.completion, or an SSE stream.
#pragma once

#include <string>

#include "ChatRequest.hpp"
#include "ResponseScript.hpp"
#include "SocketChannel.hpp"
#include "StandinOptions.hpp"

namespace agent::standin {

struct ReplyContext {
  const ChatRequest& request;
  std::string model;      // sanitised, echoed in the reply
  std::string requestId;  // the reply's `id`
  bool keepAlive = true;  // the client allows connection reuse
  bool chunked = true;    // HTTP/1.1 (a stream may use chunked encoding)
};

class ScriptedReply {
 public:
  ScriptedReply(const StandinOptions& options, SocketChannel& channel)
      : options_(options), channel_(channel) {}

  /// Returns whether the connection can carry another request.
  bool play(const ResponseScript& script, const ReplyContext& context);

 private:
  std::string replyContent(const ResponseScript& script, const ReplyContext& context) const;
  bool playStream(const ResponseScript& script, const ReplyContext& context);

  const StandinOptions& options_;
  SocketChannel& channel_;
};

}  // namespace agent::standin
