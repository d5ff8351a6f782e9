// RequestId: a fresh UUID v4 for the x-bitrouter-request-id header of every attempt.
//
// BitRouter keys its metering row by this id (upsert), so reusing one across retries would
// overwrite the earlier row; every attempt gets a new one.
#pragma once

#include <string>

namespace agent::bitrouter {

/// A random UUID v4 in lowercase 8-4-4-4-12 form. Thread-safe (per-thread generator).
std::string newRequestId();
/// The same, written into `out` (its capacity is kept).
void newRequestId(std::string& out);

}  // namespace agent::bitrouter
