// CountSetting: reads a setting that sizes something (threads, queue slots) as a bounded whole
// number.
//
// A bad value must not stop the host, and must not pass unseen either: it is logged once, as a
// warning naming the setting, the range and the value used instead, and the default applies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace agent::host {

class Logger;
class Settings;

/// The setting `name` as a whole number from `min` to `max`; unset or blank gives `fallback`
/// silently, anything else out of range gives `fallback` with a warning from `source`.
std::size_t countSetting(const Settings& settings, Logger& logger, std::string_view source,
                         std::string_view name, std::int64_t min, std::int64_t max,
                         std::size_t fallback);

}  // namespace agent::host
