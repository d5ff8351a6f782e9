#include "CountSetting.hpp"

#include <string>

#include "agent/host/Logger.hpp"
#include "agent/host/Settings.hpp"
#include "agent/support/Text.hpp"

namespace agent::host {

std::size_t countSetting(const Settings& settings, Logger& logger, std::string_view source,
                         std::string_view name, std::int64_t min, std::int64_t max,
                         std::size_t fallback) {
  const auto raw = settings.get(name);
  if (!raw || text::isBlank(*raw)) return fallback;
  const auto value = text::parseInt64(text::trim(*raw));
  if (!value || *value < min || *value > max) {
    logger.log(LogLevel::Warn, source,
               "ignoring " + std::string(name) + "='" + text::oneLine(*raw) +
                   "': expected a whole number from " + std::to_string(min) + " to " +
                   std::to_string(max) + "; using " + std::to_string(fallback));
    return fallback;
  }
  return static_cast<std::size_t>(*value);
}

}  // namespace agent::host
