#include "transport/RetryAfter.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "agent/support/Text.hpp"
#include "transport/HttpDate.hpp"

namespace agent::bitrouter {
namespace {

bool allDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::chrono::milliseconds> parseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  using std::chrono::milliseconds;
  const std::string_view text = text::trim(value);
  if (allDigits(text)) {
    std::uint64_t seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    constexpr std::uint64_t kMaxSeconds = 7ull * 24 * 3600;  // beyond any sane hint
    return milliseconds(static_cast<std::int64_t>(std::min(seconds, kMaxSeconds) * 1000));
  }
  const auto date = parseHttpDate(text);
  if (!date) return std::nullopt;
  const auto wait = std::chrono::duration_cast<milliseconds>(*date - now);
  return std::max(wait, milliseconds::zero());
}

}  // namespace agent::bitrouter
