#include "transport/SseParser.hpp"

namespace agent::bitrouter {

void SseParser::reset() noexcept {
  line_.clear();
  data_.clear();
  type_.clear();
  id_.clear();
  hasData_ = false;
  afterCr_ = false;
  started_ = false;
  bomSeen_ = 0;
}

void SseParser::processField(std::string_view line) {
  if (line.front() == ':') return;  // a comment, e.g. ":keepalive"
  std::string_view name = line;
  std::string_view value;
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    name = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (name == "data") {
    data_.append(value);
    data_.push_back('\n');
    hasData_ = true;
  } else if (name == "event") {
    type_.assign(value);
  } else if (name == "id") {
    if (value.find('\0') == std::string_view::npos) id_.assign(value);
  }
  // "retry" and unknown fields are ignored.
}

}  // namespace agent::bitrouter
