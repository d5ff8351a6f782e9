// HttpDate: the three date forms HTTP allows (RFC 9110 §5.6.7), parsed strictly.
//
// Retry-After may carry a date. Poco's DateTimeParser is lenient enough to read "tomorrow at noon
// please" as a date, so the forms are matched exactly: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37
// GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994").
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace agent::bitrouter {

std::optional<std::chrono::system_clock::time_point> parseHttpDate(std::string_view text);

}  // namespace agent::bitrouter
