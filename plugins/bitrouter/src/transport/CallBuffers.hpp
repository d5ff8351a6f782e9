// CallBuffers: the scratch memory one call needs, kept with a pooled connection.
//
// A call borrows a connection and its buffers together, so the request body, the response body
// and the stream's buffers keep their capacity from call to call instead of being allocated anew
// each time. (The bytes read from the socket live in the connection's ResponseReader.)
//
// The event-stream framing (SseParser) is HTTP's and lives here by name. What the protocol above
// makes of each event - chat/'s StreamAccumulator - is kept warm the same way, but in `protocol`,
// a std::any: the transport holds it without knowing its type, so it never includes the layer
// above it. The protocol layer puts its object there on the slot's first streamed call and finds
// it there on every later one (see ChatStreamReader).
#pragma once

#include <any>
#include <string>

#include <rapidjson/stringbuffer.h>

#include "transport/SseParser.hpp"

namespace agent::bitrouter {

struct CallBuffers {
  /// Bodies above this are not kept warm: one huge reply should not pin memory forever.
  static constexpr std::size_t kRetainedBytes = 1024 * 1024;

  rapidjson::StringBuffer request;
  std::string response;
  SseParser sse;
  std::any protocol;  // the protocol layer's own per-call state; opaque here

  /// Drops oversized buffers after a call.
  void trim() {
    if (response.capacity() > kRetainedBytes) std::string().swap(response);
    if (request.GetSize() > kRetainedBytes) {
      request.Clear();
      request.ShrinkToFit();
    }
  }
};

}  // namespace agent::bitrouter
