#include "agent/bitrouter/BitRouterConfig.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

#include "agent/bitrouter/ConfigError.hpp"
#include "agent/support/Text.hpp"
#include "config/Redactor.hpp"

namespace agent::bitrouter {
namespace {

std::optional<std::string> read(const SettingLookup& lookup, std::string_view key) {
  if (!lookup) return std::nullopt;
  return lookup(key);
}

// A whole, non-negative decimal number within [min, max]; blank means the default.
std::uint64_t readNumber(const SettingLookup& lookup, const Redactor& redactor,
                         std::string_view key, std::uint64_t fallback, std::uint64_t min,
                         std::uint64_t max, std::string_view unit) {
  const std::optional<std::string> raw = read(lookup, key);
  if (!raw) return fallback;
  const std::string_view text = text::trim(*raw);
  if (text.empty()) return fallback;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    constexpr std::size_t kMaxEcho = 40;
    throw ConfigError(std::string(key) + " must be a whole number of " + std::string(unit) +
                      " from " + std::to_string(min) + " to " + std::to_string(max) + " (got " +
                      redactor.quoteSetting(text, kMaxEcho) + ")");
  }
  return value;
}

std::chrono::milliseconds readMilliseconds(const SettingLookup& lookup, const Redactor& redactor,
                                           std::string_view key, std::chrono::milliseconds fallback,
                                           std::uint64_t min, std::uint64_t max) {
  const auto fallbackCount = static_cast<std::uint64_t>(fallback.count());
  return std::chrono::milliseconds(static_cast<std::int64_t>(
      readNumber(lookup, redactor, key, fallbackCount, min, max, "milliseconds")));
}

// An on/off switch, spelled as everywhere in the host (agent::text::parseSwitch); blank means the
// default.
bool readSwitch(const SettingLookup& lookup, const Redactor& redactor, std::string_view key,
                bool fallback) {
  const std::optional<std::string> raw = read(lookup, key);
  if (!raw || text::trim(*raw).empty()) return fallback;
  if (const std::optional<bool> value = text::parseSwitch(*raw)) return *value;
  constexpr std::size_t kMaxEcho = 40;
  throw ConfigError(std::string(key) +
                    " must be true, 1, yes or on, or false, 0, no or off (any case; got " +
                    redactor.quoteSetting(text::trim(*raw), kMaxEcho) + ")");
}

std::string readApiKey(const SettingLookup& lookup) {
  const std::optional<std::string> raw = read(lookup, "BITROUTER_API_KEY");
  if (!raw) return {};
  const std::string_view key = text::trim(*raw);
  for (const char c : key) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      // Never echo the key, not even a part of it.
      throw ConfigError(
          "BITROUTER_API_KEY contains whitespace or control characters inside it; check for a "
          "stray newline or quote");
    }
  }
  return std::string(key);
}

}  // namespace

BitRouterConfig BitRouterConfig::fromSettings(const SettingLookup& lookup) {
  constexpr std::uint64_t kDay = 86'400'000;
  constexpr std::uint64_t kHour = 3'600'000;
  constexpr std::uint64_t kGiB = 1024ull * 1024ull * 1024ull;

  BitRouterConfig config;
  // The key first: every other setting's error is checked against it, because a key pasted into
  // the wrong setting would otherwise be quoted into the init failure (and the host's logs).
  config.apiKey = readApiKey(lookup);
  const Redactor redactor(config.apiKey);
  try {
    config.baseUrl = BaseUrl::parse(read(lookup, "BITROUTER_BASE_URL").value_or(""), redactor);
    if (redactor.looksLikeKey(config.baseUrl.text)) {
      // A valid URL, but init logs it and every error names it.
      throw ConfigError(
          "BITROUTER_BASE_URL must not contain an API key (brvk_...); set BITROUTER_API_KEY");
    }
    config.models = ModelTiers::fromSettings(lookup);
    config.structuredOutputs =
        readSwitch(lookup, redactor, "BITROUTER_STRUCTURED_OUTPUTS", config.structuredOutputs);
    config.timeout =
        readMilliseconds(lookup, redactor, "BITROUTER_TIMEOUT_MS", kDefaultTimeout, 1, kDay);
    config.connectTimeout = readMilliseconds(lookup, redactor, "BITROUTER_CONNECT_TIMEOUT_MS",
                                             kDefaultConnectTimeout, 1, kHour);
    config.streamIdleTimeout = readMilliseconds(
        lookup, redactor, "BITROUTER_STREAM_IDLE_TIMEOUT_MS", kDefaultStreamIdleTimeout, 1, kDay);
    config.maxRetries = static_cast<int>(readNumber(lookup, redactor, "BITROUTER_MAX_RETRIES",
                                                    kDefaultMaxRetries, 0, 10, "retries"));
    config.maxResponseBytes =
        static_cast<std::size_t>(readNumber(lookup, redactor, "BITROUTER_MAX_RESPONSE_BYTES",
                                            kDefaultMaxResponseBytes, 1024, kGiB, "bytes"));
    // Undocumented: lets tests (and the impatient) shrink the backoff base; 0 retries at once.
    config.retryBaseDelay = readMilliseconds(lookup, redactor, "BITROUTER_RETRY_BASE_MS",
                                             kDefaultRetryBaseDelay, 0, 60'000);
  } catch (const ConfigError& error) {
    // Belt and braces: no message reaches the host with the key in it.
    throw ConfigError(redactor.apply(error.what()));
  }
  return config;
}

}  // namespace agent::bitrouter
