// ChatStreamReader: reads a text/event-stream chat completion and hands deltas to the caller.
//
// Bytes go from the socket to the SSE parser as each read delivers them; every reasoning delta
// reaches onReasoningChunk and every content delta onChunk as its frame completes, and each tool
// call reaches onToolCall, its problem checked, once it is complete. The reader decides how a
// stream ended; only a finish_reason makes it a success, because a connection may be cut
// mid-stream and BitRouter may send [DONE] without a finish chunk. Two
// clocks apply between reads: the idle allowance (BITROUTER_STREAM_IDLE_TIMEOUT_MS, longer than
// BitRouter's 30 s keepalive) and the call's deadline, which the transport holds.
//
// The SSE parser and the StreamAccumulator both come from the connection's CallBuffers, so a
// streamed call on a warm connection allocates nothing for them. The transport keeps the
// accumulator as an opaque std::any (it may not name chat's types); the reader puts one there on
// the connection's first stream and finds it there on every later one.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "agent/GenerateTextParams.hpp"
#include "chat/StreamAccumulator.hpp"
#include "chat/ToolArgumentCheck.hpp"
#include "config/Redactor.hpp"
#include "transport/CallBuffers.hpp"
#include "transport/CallTransport.hpp"
#include "transport/SseParser.hpp"

namespace agent::bitrouter {

class ChatStreamReader {
 public:
  enum class End {
    Finished,        // a finish_reason arrived (with or without [DONE])
    Truncated,       // the body ended, or [DONE] came, without a finish_reason
    ErrorFrame,      // data: {"error": ...}; see stream().error()
    Cancelled,       // a callback returned false
    IdleTimeout,     // nothing arrived within the idle allowance
    Stopped,         // the call's deadline passed or the caller cancelled it
    TooLarge,        // the text (or a pending event) passed the response limit
    Malformed,       // a frame that is not a JSON object; see stream().problem()
    ReadFailed,      // the connection failed; see detail
    CallbackFailed,  // a callback threw; see detail
  };

  struct [[nodiscard]] Result {
    End end = End::Truncated;
    bool clean = false;         // the body was read to its end after [DONE]: reusable
    std::size_t delivered = 0;  // characters handed to onChunk
    /// When the first text (or reasoning) was handed over, if any was.
    std::optional<std::chrono::steady_clock::time_point> firstChunk;
    std::string detail;
  };

  struct Limits {
    std::chrono::milliseconds idleTimeout;
    std::size_t maxBytes;
  };

  ChatStreamReader(CallTransport& transport, CallBuffers& buffers, Limits limits,
                   const Redactor& redactor)
      : transport_(transport),
        parser_(buffers.sse),
        stream_(accumulatorIn(buffers)),
        limits_(limits),
        redactor_(redactor) {}

  /// Reads the stream, calling params' onChunk, onReasoningChunk and onToolCall.
  Result run(const GenerateTextParams& params, const ToolArgumentCheck& toolCheck);

  /// What the stream carried (text, tool calls, finish reason, usage, an error frame); it lives
  /// with the connection, so it is valid until the transport releases it.
  StreamAccumulator& stream() noexcept { return stream_; }

 private:
  // The accumulator kept in `buffers`, made there on the connection's first stream.
  static StreamAccumulator& accumulatorIn(CallBuffers& buffers);
  // Reads what is left after [DONE] (normally just the chunked terminator). True at a clean end.
  bool drain();

  CallTransport& transport_;
  SseParser& parser_;
  StreamAccumulator& stream_;
  Limits limits_;
  const Redactor& redactor_;
};

}  // namespace agent::bitrouter
