// TextExcerpt: a short, single-line, printable excerpt of a server body for an error message.
//
// Error bodies can be plain text (axum's 413/415), HTML from a proxy, or anything else. Messages
// must stay one line and short, so control characters become spaces, runs of whitespace
// collapse, HTML is reduced to its <title> (or its text), and the result is cut at a UTF-8
// character boundary.
//
// Every module quotes untrusted text with it (the redactor, transport errors, schema messages,
// chat errors), so it lives in errors/, below them all.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace agent::bitrouter {

inline constexpr std::size_t kDefaultExcerptBytes = 200;

std::string textExcerpt(std::string_view body, std::size_t maxBytes = kDefaultExcerptBytes);

/// Cuts `text` to at most maxBytes without splitting a UTF-8 sequence; appends "..." when cut.
std::string truncateUtf8(std::string_view text, std::size_t maxBytes);

}  // namespace agent::bitrouter
