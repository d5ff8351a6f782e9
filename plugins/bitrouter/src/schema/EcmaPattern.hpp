// EcmaPattern: a JSON Schema pattern (ECMA-262 syntax) in the dialect RapidJSON's regex speaks.
//
// RapidJSON 1.1's engine knows literals, . [] [^] () | * + ? {n,m} and a leading ^ / trailing $,
// and drops a pattern it cannot parse - the keyword is then silently not checked. So patterns
// are translated where the meaning is the same, and refused otherwise:
//   \d \w \s (and \D \W \S outside classes) -> the ECMA character sets, spelled out
//   .                                        -> [^\n\r\u2028\u2029] (ECMA's dot)
//   \uXXXX, \xHH, \/ and other escaped punctuation -> the character itself
//   (?:...)                                  -> (...)
//   *? +? ?? {n,m}?                          -> greedy (only "is there a match" is asked)
//   \b, back-references, lookaround, \p{...}, ^ or $ in the middle -> refused
#pragma once

#include <string>
#include <string_view>

namespace agent::bitrouter {

struct TranslatedPattern {
  std::string pattern;  // for RapidJSON; empty with a problem
  std::string problem;  // why it cannot be translated, or ""
};

TranslatedPattern translateEcmaPattern(std::string_view ecma);

}  // namespace agent::bitrouter
