// FailoverPolicy: which failures move a call on to the next registration when MODEL_FAILOVER is on.
//
// As elizaOS's useModel decides it: a rate limit (HTTP 429, or a message that says so), a server
// that is down or overloaded (HTTP 500, 502, 503, 504, 529), a timeout, a connection that failed
// or a stream that broke (no HTTP error status). Never a cancelled call, never an ordinary error
// such as a bad request or a rejected key (another provider would be refused the same way). A
// provider that clears ModelError::retryable on a retryable kind (it knows trying again cannot
// help, e.g. a bad key upstream) keeps the call where it is. The runtime adds the rules about the
// call itself (explicit provider, cancellation, text already streamed).
#pragma once

#include <string_view>

#include "agent/ModelResult.hpp"

namespace agent::host {

/// True when the message speaks of a rate limit ("rate limit", "rate-limited", "too many
/// requests"), in any case.
bool mentionsRateLimit(std::string_view message);

/// True when `error` lets a call move on to the next registration.
bool failsOver(const ModelError& error);

}  // namespace agent::host
