// OtlpHttpClient: one OTLP/HTTP export: POST a JSON body to a collector and read its answer.
//
// Each export opens its own connection (a batch goes at most about once a second, so a kept-alive
// connection would save nothing worth its stale-connection handling). Every step has a time
// limit, and abort() ends an export in progress from another thread, so shutting down never
// waits on a collector that hangs.
#pragma once

#include <chrono>
#include <string>

#include "agent/support/Expected.hpp"
#include "agent/support/ThreadSafety.hpp"
#include "config/KeyValueList.hpp"
#include "config/OtelSettings.hpp"

namespace agent::otel {

class OtlpHttpClient {
 public:
  explicit OtlpHttpClient(KeyValues headers);

  /// POSTs `body` to `endpoint`; an error (one line) unless the collector answered 2xx.
  Expected<Done, std::string> post(const OtlpEndpoint& endpoint, const std::string& body,
                                   std::chrono::milliseconds timeout);

  /// Ends the export in progress, if any, and makes every later post fail at once.
  void abort() noexcept;

 private:
  bool registerSocket(int descriptor);
  void unregisterSocket();

  const KeyValues headers_;
  Mutex mutex_;
  int activeDescriptor_ AGENT_GUARDED_BY(mutex_) = -1;
  bool aborted_ AGENT_GUARDED_BY(mutex_) = false;
};

}  // namespace agent::otel
