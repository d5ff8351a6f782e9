// SplitSurrogates: a UTF-16 surrogate pair whose two \u escapes arrive in two stream frames.
//
// An upstream that cuts its text between the halves of a pair ("\ud83d" in one delta, "\ude00" in
// the next) sends frames that are each valid JSON text but hold a lone surrogate, which RapidJSON
// refuses in the first frame (it decodes a lone low surrogate as three generalised UTF-8 bytes).
// So a lone high-surrogate escape is written into the frame as those three bytes before parsing,
// and once the next delta is appended the two halves are joined into the one 4-byte character.
// A half still waiting for its partner is held back from the callbacks.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace agent::bitrouter::surrogates {

/// `frame` into `out`, each lone high-surrogate escape replaced by its three-byte form.
void copyFrame(std::string_view frame, std::string& out);

/// Joins a high surrogate ending at `boundary` with a low surrogate starting there (both in
/// three-byte form) into one 4-byte UTF-8 character.
void joinAt(std::string& text, std::size_t boundary);

/// 3 when `text` ends with a high surrogate in three-byte form (its partner may still come), else
/// 0.
std::size_t pendingHalf(std::string_view text) noexcept;

}  // namespace agent::bitrouter::surrogates
