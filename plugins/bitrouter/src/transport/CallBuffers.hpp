// CallBuffers: the scratch memory one call needs, kept with a pooled connection.
//
// A call borrows a connection and its buffers together, so the request body, the response body
// and the stream parser's buffers keep their capacity from call to call instead of being
// allocated anew each time. (The bytes read from the socket live in the connection's
// ResponseReader.)
#pragma once

#include <string>

#include <rapidjson/stringbuffer.h>

#include "chat/SseParser.hpp"
#include "chat/StreamAccumulator.hpp"

namespace agent::bitrouter {

struct CallBuffers {
  /// Bodies above this are not kept warm: one huge reply should not pin memory forever.
  static constexpr std::size_t kRetainedBytes = 1024 * 1024;

  rapidjson::StringBuffer request;
  std::string response;
  SseParser sse;
  StreamAccumulator stream;

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
