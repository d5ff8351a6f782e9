#include "protocol/ToolNames.hpp"

#include <cstdint>

namespace agent::mcp {
namespace {

constexpr std::size_t kMaxName = 64;

bool allowed(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// FNV-1a, 32 bits: short, stable across runs and machines.
std::uint32_t hash(std::string_view text) {
  std::uint32_t value = 2166136261u;
  for (const char c : text) {
    value ^= static_cast<unsigned char>(c);
    value *= 16777619u;
  }
  return value;
}

}  // namespace

std::string withHashSuffix(std::string_view name, std::string_view salt) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(name.substr(0, kMaxName - 9));
  out += '_';
  const std::uint32_t value = hash(salt);
  for (int shift = 28; shift >= 0; shift -= 4)
    out += kHex[(value >> shift) & 0xf];
  return out;
}

std::string modelToolName(std::string_view server, std::string_view tool) {
  std::string full;
  full.reserve(server.size() + 2 + tool.size());
  full.append(server).append("__").append(tool);
  std::string name = full;
  for (char& c : name) {
    if (!allowed(c)) c = '_';
  }
  if (name.size() > kMaxName) return withHashSuffix(name, full);
  return name;
}

}  // namespace agent::mcp
