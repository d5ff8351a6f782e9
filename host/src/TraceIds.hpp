// TraceIds: new W3C trace and span ids for the spans the host opens (model calls, tool runs, tool
// loops). Random, from a per-thread generator seeded once from std::random_device.
#pragma once

#include "agent/TraceContext.hpp"

namespace agent::host {

/// A new trace: fresh trace id and span id, no parent.
TraceContext newTrace();

/// A new span in `parent`'s trace, with `parent`'s span as its parent.
TraceContext childSpan(const TraceContext& parent);

/// The span of an operation started by a caller whose context is `caller`: its child when the
/// caller is traced, else the root of a new trace.
TraceContext spanUnder(const TraceContext& caller);

}  // namespace agent::host
