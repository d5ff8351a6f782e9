// TextUtil: small string helpers shared by the host and the CLI (private to the host tree).
//
// Number parsing is strict on purpose: a setting like "5x" or "1.5" for an integer is a mistake
// the user should hear about, not something to round or truncate silently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agent::host::text {

std::string_view trim(std::string_view text) noexcept;
bool isBlank(std::string_view text) noexcept;
std::string toUpper(std::string_view text);
bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept;

/// A whole decimal integer (surrounding whitespace allowed), or nullopt.
std::optional<std::int64_t> parseInt64(std::string_view text) noexcept;

/// A whole finite decimal number (surrounding whitespace allowed), or nullopt.
std::optional<double> parseDouble(std::string_view text) noexcept;

/// True for "true", "1", "yes", "on" (any case, trimmed).
bool isTruthy(std::string_view text) noexcept;

/// The text on one line: CR and LF become spaces (log lines and error lines stay single lines).
std::string oneLine(std::string_view text);

/// `text` with every ill-formed UTF-8 sequence replaced by U+FFFD (one per maximal subpart, as
/// Unicode recommends). JSON output must be UTF-8, and a model's reply is not guaranteed to be.
std::string toValidUtf8(std::string_view text);

}  // namespace agent::host::text
