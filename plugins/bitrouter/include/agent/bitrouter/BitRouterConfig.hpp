// BitRouterConfig: every BITROUTER_* setting, typed and validated.
//
// Settings are read once, when the provider is created (the plugin's init); changing a setting
// later needs a restart. A default-constructed config is the built-in defaults, so integration
// tests can build one directly and change only what they need.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "agent/bitrouter/BaseUrl.hpp"
#include "agent/bitrouter/ModelTiers.hpp"
#include "agent/bitrouter/SettingLookup.hpp"

namespace agent::bitrouter {

struct BitRouterConfig {
  static constexpr std::chrono::milliseconds kDefaultTimeout{300000};
  static constexpr std::chrono::milliseconds kDefaultConnectTimeout{10000};
  static constexpr std::chrono::milliseconds kDefaultStreamIdleTimeout{90000};
  static constexpr int kDefaultMaxRetries = 2;
  static constexpr std::size_t kDefaultMaxResponseBytes = 16u * 1024u * 1024u;
  static constexpr std::chrono::milliseconds kDefaultRetryBaseDelay{250};
  static constexpr std::chrono::milliseconds kDefaultRetryMaxDelay{4000};

  BaseUrl baseUrl = BaseUrl::parse(BaseUrl::kDefault);  // BITROUTER_BASE_URL
  std::string apiKey;                                   // BITROUTER_API_KEY; empty = none
  ModelTiers models;                                    // BITROUTER_<TIER>_MODEL
  bool structuredOutputs = false;                       // BITROUTER_STRUCTURED_OUTPUTS
  std::chrono::milliseconds timeout = kDefaultTimeout;  // BITROUTER_TIMEOUT_MS: whole call
  std::chrono::milliseconds connectTimeout = kDefaultConnectTimeout;  // ..._CONNECT_TIMEOUT_MS
  std::chrono::milliseconds streamIdleTimeout = kDefaultStreamIdleTimeout;  // ..._IDLE_TIMEOUT_MS
  int maxRetries = kDefaultMaxRetries;                                      // BITROUTER_MAX_RETRIES
  std::size_t maxResponseBytes = kDefaultMaxResponseBytes;  // BITROUTER_MAX_RESPONSE_BYTES
  std::chrono::milliseconds retryBaseDelay = kDefaultRetryBaseDelay;  // BITROUTER_RETRY_BASE_MS
  std::chrono::milliseconds retryMaxDelay = kDefaultRetryMaxDelay;    // internal cap

  /// Reads and validates every setting. Throws ConfigError (one line, naming the setting, never
  /// echoing the key) on a bad value.
  static BitRouterConfig fromSettings(const SettingLookup& lookup);

  bool hasApiKey() const noexcept { return !apiKey.empty(); }
};

}  // namespace agent::bitrouter
