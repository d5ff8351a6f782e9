// CxxAbiTag: which C++ standard library ABI a binary was compiled against.
//
// The plugin interfaces pass std::string, std::vector and friends, so host and plugin must agree
// on the standard library's layout: which library (libstdc++ or libc++), libstdc++'s dual string
// ABI (_GLIBCXX_USE_CXX11_ABI) and its debug mode (_GLIBCXX_DEBUG, which changes std::vector from
// 24 to 56 bytes). The compiler itself is not part of the tag: a plugin built with clang++
// against the host's libstdc++ is compatible.
#pragma once

#include <cstdint>  // also defines the standard library's configuration macros
#include <string>

namespace agent {

namespace cxx_abi_bits {
inline constexpr std::uint32_t kLibstdcxx = 0x1u;
inline constexpr std::uint32_t kLibcxx = 0x2u;
inline constexpr std::uint32_t kCxx11String = 0x10u;  // libstdc++'s new std::string
inline constexpr std::uint32_t kDebugMode = 0x20u;    // libstdc++'s _GLIBCXX_DEBUG
}  // namespace cxx_abi_bits

/// The tag of the standard library this translation unit is compiled against.
constexpr std::uint32_t cxxAbiTag() {
  std::uint32_t tag = 0;
#if defined(_LIBCPP_VERSION)
  tag |= cxx_abi_bits::kLibcxx;
#if defined(_LIBCPP_ABI_VERSION)
  tag |= static_cast<std::uint32_t>(_LIBCPP_ABI_VERSION & 0xff) << 8;
#endif
#elif defined(__GLIBCXX__)
  tag |= cxx_abi_bits::kLibstdcxx;
#if defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
  tag |= cxx_abi_bits::kCxx11String;
#endif
#if defined(_GLIBCXX_DEBUG)
  tag |= cxx_abi_bits::kDebugMode;
#endif
#endif
  return tag;
}

/// The tag in words, for load errors: "libstdc++ (new std::string ABI, debug mode)".
inline std::string describeCxxAbiTag(std::uint32_t tag) {
  std::string text;
  if (tag & cxx_abi_bits::kLibcxx) {
    text = "libc++ (ABI v" + std::to_string((tag >> 8) & 0xff) + ")";
  } else if (tag & cxx_abi_bits::kLibstdcxx) {
    text = "libstdc++ (";
    text += (tag & cxx_abi_bits::kCxx11String) ? "new std::string ABI" : "old std::string ABI";
    text += (tag & cxx_abi_bits::kDebugMode) ? ", debug mode _GLIBCXX_DEBUG)" : ")";
  } else {
    text = "an unknown standard library";
  }
  return text;
}

}  // namespace agent
