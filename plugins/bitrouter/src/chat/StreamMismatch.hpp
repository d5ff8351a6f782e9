// StreamMismatch: the message for a streamed call whose answer was not a usable event stream.
//
// A 2xx answer to "stream": true is read as SSE only when its Content-Type says
// text/event-stream; anything else is read as a plain chat completion. When that fails, "malformed
// JSON" would hide what happened: an event stream sent without its Content-Type (a proxy that
// drops the header), or a JSON body that is not a completion.
#pragma once

#include <string>
#include <string_view>

namespace agent::bitrouter {

class StreamMismatch {
 public:
  /// Whether `body` starts like an event stream ("data:", "event:", "id:" or a ':' comment).
  static bool looksLikeEventStream(std::string_view body) noexcept;

  /// The message; `parseProblem` is why the body is not a chat completion.
  static std::string describe(std::string_view contentType, bool eventStreamBody,
                              std::string_view parseProblem);
};

}  // namespace agent::bitrouter
