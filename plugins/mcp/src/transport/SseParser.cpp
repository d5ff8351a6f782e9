#include "transport/SseParser.hpp"

#include "agent/support/Text.hpp"

namespace agent::mcp {

void SseParser::line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) {  // the event is complete
    if (hasData_ && onEvent_) onEvent_(type_.empty() ? "message" : type_, data_);
    type_.clear();
    data_.clear();
    hasData_ = false;
    return;
  }
  if (line.front() == ':') return;  // a comment (keep-alive)
  const auto colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (hasData_) data_ += '\n';
    data_.append(value);
    hasData_ = true;
  } else if (field == "event") {
    type_ = std::string(value);
  } else if (field == "id") {
    lastEventId_ = std::string(value);
  } else if (field == "retry") {
    if (auto ms = text::parseInt64(value); ms && *ms >= 0 && *ms < 600000)
      retryMs_ = static_cast<int>(*ms);
  }
}

}  // namespace agent::mcp
