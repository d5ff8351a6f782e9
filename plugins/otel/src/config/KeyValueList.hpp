// KeyValueList: reads the "key1=value1,key2=value2" lists of OTEL_EXPORTER_OTLP_HEADERS and
// OTEL_RESOURCE_ATTRIBUTES (W3C Baggage syntax, values percent-encoded).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agent::otel {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

/// The pairs of `text` in order, keys and values trimmed and percent-decoded. A member without
/// '=' or with an empty key is skipped (the specification says to ignore what cannot be parsed).
KeyValues parseKeyValueList(std::string_view text);

/// `text` with each %XX replaced by its byte; a '%' not followed by two hex digits stays as it is.
std::string percentDecode(std::string_view text);

}  // namespace agent::otel
