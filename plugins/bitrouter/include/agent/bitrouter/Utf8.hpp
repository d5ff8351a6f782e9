// Utf8: a fast UTF-8 validity check for the text the plugin sends.
//
// BitRouter (serde) rejects a body that is not UTF-8 with an opaque 400; checking first turns
// that into a clear local error. Prompts are mostly ASCII, so eight bytes are tested at a time;
// this is several times faster than RapidJSON's per-character kWriteValidateEncodingFlag.
#pragma once

#include <string_view>

namespace agent::bitrouter {

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool isValidUtf8(std::string_view text) noexcept;

}  // namespace agent::bitrouter
