#include "chat/StreamMismatch.hpp"

#include "agent/support/Text.hpp"
#include "errors/TextExcerpt.hpp"

namespace agent::bitrouter {

bool StreamMismatch::looksLikeEventStream(std::string_view body) noexcept {
  std::string_view start = text::trim(body);
  if (start.rfind("\xEF\xBB\xBF", 0) == 0) start.remove_prefix(3);
  return start.rfind("data:", 0) == 0 || start.rfind("event:", 0) == 0 ||
         start.rfind("id:", 0) == 0 || start.rfind(":", 0) == 0;
}

std::string StreamMismatch::describe(std::string_view contentType, bool eventStreamBody,
                                     std::string_view parseProblem) {
  const std::string type = text::isBlank(contentType)
                               ? std::string("no Content-Type")
                               : "Content-Type '" + textExcerpt(contentType, 80) + "'";
  if (eventStreamBody) {
    return "BitRouter sent an event stream with " + type +
           " instead of text/event-stream, so it could not be read as a stream (a proxy in "
           "between may drop the header)";
  }
  return "BitRouter answered a streamed call with " + type +
         " instead of an event stream, and the body is not a chat completion (" +
         std::string(parseProblem) + ")";
}

}  // namespace agent::bitrouter
