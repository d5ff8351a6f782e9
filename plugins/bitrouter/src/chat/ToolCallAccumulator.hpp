// ToolCallAccumulator: the tool calls of one reply, merged from `tool_calls` arrays.
//
// A stream sends each call in pieces keyed by `index`: ids and names may repeat on every delta
// or come only on the first, and arguments arrive split anywhere (inside a UTF-8 character too),
// so pieces are joined as bytes and read only once whole. A non-streamed message sends each call
// whole, keyed by its position. A call is complete once a later index has started and its
// arguments form a whole JSON value (so calls interleaved by index are not cut short), or when
// the reply finishes; each complete call is handed out once, for ToolCallCallback.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "agent/ToolCall.hpp"

namespace agent::bitrouter {

class ToolCallAccumulator {
 public:
  /// Forgets every call (for the next reply), keeping capacity.
  void reset() noexcept;

  /// Merges one `tool_calls` array. `positional`: a non-streamed message, whose entries are
  /// whole calls keyed by their position rather than by `index`.
  void add(const rapidjson::Value& toolCalls, bool positional = false);

  /// The reply finished: every call is complete.
  void finish() noexcept;

  /// The next complete call not handed out yet (marked handed out), or nullptr.
  ToolCall* nextComplete() noexcept;
  /// Whether nextComplete() has a call to hand out.
  bool hasComplete() const noexcept;

  /// The calls so far, in index order.
  std::vector<ToolCall> calls() const;
  bool empty() const noexcept { return entries_.empty(); }
  /// Bytes held (names, ids and arguments), to bound memory on hostile streams.
  std::size_t bytes() const noexcept { return bytes_; }

 private:
  struct Entry {
    long long index = 0;
    ToolCall call;
    bool complete = false;
    bool handedOut = false;
  };

  Entry& entryFor(long long index);
  void merge(const rapidjson::Value& delta, long long index);
  void completeBefore(long long index);

  std::vector<Entry> entries_;  // sorted by index
  std::size_t bytes_ = 0;
};

}  // namespace agent::bitrouter
