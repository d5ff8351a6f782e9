// ToolCallFrames: the pieces a stream sends a reply's tool calls in (contract section 6).
//
// Each call opens with a delta carrying its index, id, type and name; its arguments follow in
// pieces of a set size, cut anywhere (inside a UTF-8 character too), as upstream tokenizers do.
// BitRouter repeats id and type on every delta and the name only on the first; parallel calls
// come one after another, or, interleaved, piece by piece in turn.
#pragma once

#include <cstddef>
#include <vector>

#include "CompletionRenderer.hpp"
#include "ResponseScript.hpp"

namespace agent::standin {

class ToolCallFrames {
 public:
  /// The deltas, in sending order; views into `script.toolCalls`.
  static std::vector<ToolCallDelta> deltas(const ResponseScript& script);
};

}  // namespace agent::standin
