// FuzzSupport: what the libFuzzer targets share.
//
// A target checks properties, not only "does not crash": when one fails, FUZZ_CHECK prints it
// and aborts, so libFuzzer keeps the input as a crash and the replay test (ReplayMain.cpp, run
// by ctest in every build) fails on it until it is fixed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition, what)                                                      \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", what, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

namespace agent::fuzz {

/// The key the targets hand to the redactor; it must never come out of a parser.
inline constexpr std::string_view kSecret = "brvk_FuzzSecretKey0123456789";

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

inline bool isOneLine(std::string_view text) {
  return text.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace agent::fuzz
